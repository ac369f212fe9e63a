"""`python -m npfterm` runs the command-line interface."""

from npfterm.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
