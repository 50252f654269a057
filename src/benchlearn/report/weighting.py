"""How a fit's weighting is described, in the terminal, the JSON and the report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchlearn.analysis.weights import Weighting

_RULE_WORDS = {
    "1/x": "1/{x} (the variance of {y} taken to grow in proportion to {x})",
    "1/x2": "1/{x}² (the standard deviation of {y} taken to grow in proportion to {x}: a "
    "constant coefficient of variation)",
    "1/y": "1/{y} (the variance taken to grow in proportion to the measured {y})",
    "1/y2": "1/{y}² (the standard deviation taken to grow in proportion to the measured {y}: "
    "a constant coefficient of variation)",
    "replicates": "1/variance of the replicate {y} values at each {x} (each level counts as "
    "much as its replicates agree)",
}
_SCALE = " The residual standard deviation is that of a measurement of weight 1."


def describe_weighting(weighting: Weighting) -> str:
    """One sentence (or two) saying how the fit was weighted."""
    w = weighting
    if not w.weighted:
        return "Unweighted (ordinary) least squares."
    if w.column is not None:
        zero = w.zero_weight_rows
        return (
            f"Weighted least squares with the weights in column `{w.column}`: rows with larger "
            "weights count more."
            + (f" {zero} row(s) of weight 0 are left out of the fit." if zero else "")
            + _SCALE
        )
    words = _RULE_WORDS[w.rule or ""].format(x=w.x, y=w.y)
    if w.group is not None:
        words = words.replace(f"at each {w.x}", f"at each {w.x} within each {w.group}")
    return f"Weighted least squares with weights {words}." + _SCALE


def weighting_json(weighting: Weighting) -> dict[str, Any]:
    """The weighting's JSON: how it was chosen, and its description."""
    return weighting.to_dict() | {"description": describe_weighting(weighting)}
