from benchlearn.errors import BenchlearnError, DataError


def test_data_error_message_names_file_row_and_column_then_the_fix():
    error = DataError(
        "'n/a' is not a number",
        path="plate1.csv",
        row=17,
        column="conc",
        fix="Replace it with a number, or leave the cell empty and use --drop-missing",
    )
    assert error.message == (
        "file plate1.csv, row 17, column `conc`: 'n/a' is not a number. "
        "Replace it with a number, or leave the cell empty and use --drop-missing."
    )
    assert isinstance(error, ValueError)
    assert isinstance(error, BenchlearnError)


def test_error_without_location_is_just_the_sentence():
    assert BenchlearnError("the file is empty").message == "the file is empty."


def test_every_warning_class_lives_in_errors_and_its_packages_export_that_class():
    from benchlearn import errors
    from benchlearn.data import MissingValuesDropped
    from benchlearn.linear import CollinearityWarning
    from benchlearn.optim import DivergenceWarning

    assert MissingValuesDropped is errors.MissingValuesDropped
    assert CollinearityWarning is errors.CollinearityWarning
    assert DivergenceWarning is errors.DivergenceWarning
    for warning in [MissingValuesDropped, CollinearityWarning, DivergenceWarning,
                    errors.CurveShapeWarning]:  # fmt: skip
        assert issubclass(warning, UserWarning) and warning.__module__ == "benchlearn.errors"
