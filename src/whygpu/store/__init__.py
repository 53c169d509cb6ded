"""Results files: their schema, checking, locks and atomic I/O. Neither torch nor the drawing
code is imported here, so a contributor's file can be checked anywhere."""
