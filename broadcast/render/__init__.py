"""Voice, mix and video as cached stages over a stored script (``broadcast voice|mix|video``).

Each stage's output is kept under a key made from its inputs, its parameters and the stage
version (see ``cache``), so a re-run redoes only what changed and a re-run with nothing
changed only copies files.
"""
