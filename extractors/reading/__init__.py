"""Stage 1, reading: a file's bytes to cleaned text whose offsets map back to the original."""
