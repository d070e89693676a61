"""One module per counterpart file format: parse → validate the whole file → apply atomically."""
