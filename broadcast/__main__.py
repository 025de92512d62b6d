"""Allow ``python -m broadcast`` where the console script is not on PATH."""

from broadcast.cli import main

if __name__ == "__main__":
    main()
