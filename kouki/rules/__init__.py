"""Pure rules of the law: no Django, no I/O. Plain values in, plain values out."""
