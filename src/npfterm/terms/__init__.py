"""Term pairs of aligned documents: candidates, English spans, scores."""
