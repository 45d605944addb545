"""Importing an existing community (a Stack Exchange data dump) into the forum."""
