"""Assay maths: the conventions labs report standard curves, limits and method comparisons by.

Every number comes as a :class:`benchlearn.assay.quantity.Quantity` that carries the name of
its convention and its formula, so reports and JSON can show them side by side.
"""
