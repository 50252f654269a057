"""The assay engine's codes in words: the slope test's conclusion, how σ and the detection limits
were obtained, and why an unknown sample is flagged.

:mod:`benchlearn.assay` returns numbers, codes and convention names; the terminal, the JSON and
the HTML report all say them with the sentences here.
"""

from __future__ import annotations

from typing import Any

UNKNOWN_INTERVAL_ISSUES = {
    "slope-not-significant": "the slope is not clearly non-zero: no finite interval exists",
    "outside-multiple-use-band": "the signal lies outside the multiple-use band: no interval",
    "not-closed": "the interval does not close within reach",
}


def slope_test_conclusion(test: dict[str, Any]) -> str:
    """One plain sentence on :func:`benchlearn.assay.slope_test`'s decision, with its numbers."""
    value = test["value"]
    numbers = (f"slope {test['slope']:.4g}, {100 * test['level']:.0f}% CI "
               f"{test['ci_lower']:.4g} to {test['ci_upper']:.4g}; t = {test['t']:.3g} on "
               f"{test['df']} df, p = {test['p_value']:.3g}")  # fmt: skip
    if test["decision"] == "differs":
        return (f"The slope differs from {value:g} ({numbers}): {value:g} is outside the "
                "confidence interval.")  # fmt: skip
    return (f"No evidence that the slope differs from {value:g} ({numbers}). This does not "
            "prove it equals it: the interval shows how far off it could be.")  # fmt: skip


def sigma_source(details: dict[str, Any]) -> str:
    """Where an ICH convention's σ comes from, with its degrees of freedom."""
    source, df = details["sigma_source"], details["df"]
    if source == "residual-sd":
        return f"residual SD on {df} df"
    if source == "intercept-se":
        return f"SE of the intercept on {df} df"
    if source == "blank-sd":
        return f"SD of {details['n_blanks']} blanks, {df} df"
    return (f"SD of one reading at the low end of the weighted calibration, σ/√w = "
            f"{details['s_yx']:.4g}/√{details['reading_weight']:.4g}, σ on {df} df")  # fmt: skip


def _din_setting(details: dict[str, Any]) -> str:
    return (f"α = {details['alpha']:g}, β = {details['beta']:g}, k = {details['k']:g}, "
            f"m = {details['m']}, ν = {details['nu']}")  # fmt: skip


def detection_notes(limits: Any) -> tuple[str, ...]:
    """The sentences beside :func:`benchlearn.assay.detection_limits`' table."""
    from benchlearn.assay.detection import LOD_METHODS

    details = limits.details
    if not details:
        return tuple(limits.notes)
    spec = LOD_METHODS[details["method"]]
    if details["method"] == "blank-3s":
        return (f"{spec.sigma}: a = {details['a']:.6g}, s_y/x = {details['s_yx']:.6g}",)
    if details["method"] == "din32645":
        return (f"{spec.sigma}: s_x0 = {details['s_x0']:.6g}, x̄ = {details['x_mean']:.6g}, "
                f"Sxx = {details['sxx']:.6g}, n = {details['n']}",)  # fmt: skip
    return (f"{spec.sigma}: σ = {details['sigma']:.6g} ({sigma_source(details)})",)


def detection_quantity_notes(limits: Any) -> dict[str, str]:
    """What the reader must know beside each limit, by the table's key."""
    details = limits.details
    if details.get("method") == "din32645":
        setting = _din_setting(details)
        notes = dict.fromkeys(("critical_value", "critical_signal", "lod"), setting)
        unreached = "the calibration is too imprecise for a relative uncertainty of 1/k"
        notes["loq"] = setting if details["quantification_limit_reached"] else (
            f"{setting}; {unreached}")  # fmt: skip
        return notes
    if "sigma_source" in details:
        return {"sigma": sigma_source(details)}
    return {}


def detection_text(limits: Any) -> str:
    """The limits as the terminal shows them: title, each limit, then the notes."""
    return "\n".join([limits.title, *(f"  {q}" for q in limits.quantities.values()),
                      *(f"  note: {n}" for n in detection_notes(limits))])  # fmt: skip


def detection_json(limits_dict: dict[str, Any], limits: Any) -> dict[str, Any]:
    """``limits.to_dict()`` with its notes in words."""
    out = dict(limits_dict) | {"notes": list(detection_notes(limits))}
    quantities = {key: dict(value) for key, value in out["quantities"].items()}
    for key, note in detection_quantity_notes(limits).items():
        quantities[key]["note"] = note
    out["quantities"] = quantities
    return out


def unknown_note(row: Any, calibrated_range: tuple[float, float]) -> str:
    """Why an unknown sample is flagged (or its interval open), from the row's codes."""
    issue = _field(row, "issue")
    detail = UNKNOWN_INTERVAL_ISSUES.get(_field(row, "interval_issue"), "")
    if issue == "extrapolated":
        low, high = calibrated_range
        return (f"outside the calibrated range {low:g} to {high:g}: extrapolated, so the "
                "interval is the wider simultaneous (Working-Hotelling) one and still assumes "
                "the curve continues beyond the standards; dilute or concentrate the sample "
                "and measure again" + (f" ({detail})" if detail else ""))  # fmt: skip
    if issue == "no-match":
        return "no concentration gives this signal on the fitted curve"
    if issue == "bad-weight":
        weight = _field(row, "reading_weight")
        return f"the weight of this reading ({weight:g}) is not a positive number"
    return detail


def _field(row: Any, name: str) -> Any:
    return row[name] if isinstance(row, dict) else getattr(row, name)
