"""Reading source files and analysing text: encodings, language runs, sentences, words, keys."""
