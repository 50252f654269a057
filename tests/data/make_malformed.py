"""Writes the malformed-file corpus in ``tests/data/malformed/`` (run once; files are committed).

Each file is a small, realistic example of what a lab instrument or spreadsheet can produce and
that the reader must refuse with a specific message (see ``test_malformed_files.py``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent / "malformed"

TEXT_FILES: dict[str, str | bytes] = {
    "text_in_numeric.csv": "conc,signal\n0,0.10\n1,n/a\n2,0.31\n",
    "empty.csv": b"",
    "only_blank_lines.csv": "\n\n  \n\n",
    "header_only.csv": "conc,signal\n",
    "duplicate_columns.csv": "conc,conc,signal\n1,2,3\n4,5,6\n",
    "missing_value.csv": "conc,signal\n0,0.10\n1,\n2,0.31\n",
    "infinity.csv": "conc,signal\n0,0.10\n1,inf\n2,0.31\n",
    "negative_infinity_predictor.csv": "conc,signal\n0,0.10\n-inf,0.2\n2,0.31\n",
    "constant_predictor.csv": "conc,signal\n1,0.10\n1,0.20\n1,0.31\n",
    "constant_response.csv": "conc,signal\n1,0.5\n2,0.5\n3,0.5\n",
    "too_few_rows.csv": "conc,signal\n1,0.2\n",
    "misspelt_column.csv": "conc,signal\n0,0.10\n1,0.20\n2,0.31\n",
    "binary.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    "old_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
    "settings.json": '{"conc": [1, 2]}',
    "corrupt.xlsx": b"PK\x03\x04 this zip archive was cut short",
    "corrupt.parquet": b"PAR1 truncated",
    "unclosed_quote.csv": 'sample,conc,signal\n"A1,1,0.2\nA2,2,0.4\n',
    "extra_cells.csv": "conc,signal\n1,0.2\n2,0.4,0.9\n3,0.6\n",
    "unnamed_column.csv": "conc,,signal\n1,7,0.2\n2,8,0.4\n",
    "excel_error_value.csv": "conc,signal\n1,0.2\n2,#DIV/0!\n3,0.6\n",
    "european_text.csv": "Konz;Signal\n0,5;0,12\n1,0;ca. 0,25\n2,0;0,49\n",
    "utf16_text_cell.tsv": "conc\tsignal\n0\t0.1\n1\t0.2\n2\tsaturated\n".encode("utf-16"),
    "plate_reader_preamble.csv": (
        "Software Version,3.11.19\nExperiment File Path:,C:\\data\\bca.xpt\n"
        "Plate Number,Plate 1\n\n"
        "Well,conc,A562\nA1,0,0.098\nA2,25,0.131\nA3,125,overflow\n"
    ),
    "text_response.csv": "sample,conc\nS1,1\nS2,2\nS3,3\n",
    "nan_text.csv": "conc,signal\n0,0.1\n1,NaN\n2,0.3\n",
    "below_detection_limit.csv": "conc,signal\n0,<0.05\n1,0.2\n2,0.3\n",
    "no_numeric_predictor.csv": "name,signal\nA,1.0\nB,2.0\nC,2.9\n",
    "same_column_twice.csv": "conc,signal\n0,0.1\n1,0.2\n2,0.3\n",
    "dash_for_missing.csv": "conc,signal\n0,0.1\n1,-\n2,0.3\n",
    # A qPCR results export: metadata lines, a section marker, tab-separated results, and
    # 'Undetermined' where the no-template control never amplified.
    "qpcr_undetermined.txt": (
        "* Block Type = 96-Well Block (0.2mL)\n* Chemistry = SYBR_GREEN\n"
        "* Experiment File Name = D:\\runs\\gapdh_std.eds\n* Instrument Type = QuantStudio 5\n"
        "* Passive Reference = ROX\n\n[Results]\n"
        "Well\tWell Position\tSample Name\tTarget Name\tTask\tCT\tQuantity\n"
        "1\tA1\tStd1\tGAPDH\tSTANDARD\t15.12\t10000000\n"
        "2\tA2\tStd2\tGAPDH\tSTANDARD\t18.55\t1000000\n"
        "3\tA3\tStd3\tGAPDH\tSTANDARD\t21.97\t100000\n"
        "4\tA4\tNTC\tGAPDH\tNTC\tUndetermined\t\n"
    ),
    "mixed_decimal_marks.csv": 'conc,signal\n0,0.11\n1,"0,24"\n2,0.35\n3,0.47\n',
    "units_row.csv": "conc,signal\nug/mL,AU\n0,0.1\n1,0.2\n2,0.3\n",
    "note_below_table.csv": "conc,signal\n0,0.1\n1,0.2\n2,0.3\n\nMeasured by J. Doe\n",
    # A plate reader's grid view of a 96-well plate (only three columns kept), under metadata.
    "plate_layout.csv": (
        "Plate:,Plate1,1.3,Absorbance,Raw\nWavelength:,562 nm\n\n"
        ",1,2,3\nA,0.098,0.131,0.254\nB,0.101,0.129,0.261\nC,0.097,0.135,0.248\n"
    ),
}


# Issue 18's odd files: locales, instrument exports, spreadsheet quirks. Each is refused with a
# clear message or read correctly (see READ_CORRECTLY in test_malformed_files.py).
_ROWS = "".join(f"{i},{0.1 * i + 0.05:.2f}\n" for i in range(1, 60))
MORE_TEXT_FILES: dict[str, str | bytes] = {
    # numbers in locales
    "rfu_thousands.tsv": "well\tconc\tRFU\nA1\t1\t12,345\nA2\t2\t23,456\nA3\t3\t34,567\n",
    "quoted_decimal_comma.csv": 'conc,signal\n0,0.21\n1,"0,34"\n2,0.55\n3,0.71\n',
    "quoted_leading_zero_comma.csv": 'conc,signal\n0,0.11\n1,"0,095"\n2,0.35\n',
    "one_point_among_commas.csv": "Konz;Signal\n0;0,5\n1;1,2\n2;1.234\n3;2,4\n",
    "points_3dp_commas.csv": "x;y\n1.000;0,25\n2.000;0,50\n3.000;0,75\n",
    "exponent_comma.csv": 'conc,signal\n1,1.2\n2,3.4\n3,"1,5e3"\n',
    "thousands_comma_among_points.csv": 'conc,signal\n0.5,1.1\n"1,250",2.2\n2.5,3.3\n',
    "unicode_minus.csv": "conc,signal\n1,0.5\n2,\u22120.5\n3,0.7\n",
    "units_in_cells.csv": "conc,signal\n0.5 mg/mL,0.1\n1 mg/mL,0.2\n2 mg/mL,0.4\n",
    "percent_cells.csv": "conc,inhibition\n1,12%\n2,25%\n3,48%\n",
    "plus_minus.csv": "conc,signal\n1,0.12 \u00b1 0.01\n2,0.25 \u00b1 0.02\n",
    "fraction_cells.csv": "dilution,signal\n1/2,0.5\n1/4,0.25\n1/8,0.12\n",
    "hex_cells.csv": "conc,code\n1,0x1F\n2,0x2A\n",
    "dates_as_predictor.csv": "date,signal\n2026-11-01,0.5\n2026-11-02,0.6\n2026-11-03,0.8\n",
    "kinetic_times.csv": "time,OD600\n00:00:00,0.05\n00:15:00,0.07\n00:30:00,0.11\n",
    "true_false_text.csv": "treated,signal\nTRUE,0.5\nFALSE,0.3\nTRUE,0.6\n",
    # instrument and spreadsheet error values
    "ovrflw.csv": "conc,RFU\n1,1200\n2,OVRFLW\n3,3100\n",
    "value_error.csv": "conc,signal\n1,0.2\n2,#VALUE!\n3,0.6\n",
    "na_error.csv": "conc,signal\n1,0.2\n2,#N/A\n3,0.6\n",
    "hash_too_narrow.csv": "conc,signal\n1,0.2\n2,########\n3,0.6\n",
    "na_word.csv": "conc,signal\n1,0.2\n2,NA\n3,0.6\n",
    "no_ct.txt": "Well\tSample\tCt\tQuantity\nA1\tStd1\t15.1\t1000000\nA2\tStd2\t18.5\t100000"
    "\nA3\tNTC\tNo Ct\t\n",
    "question_marks.csv": "conc,A450\n1,0.9\n2,?????\n3,2.7\n",
    "infinity_word.csv": "conc,signal\n1,0.2\n2,Infinity\n3,0.6\n",
    "whitespace_cell.csv": "conc,signal\n1,0.2\n2,   \n3,0.6\n",
    # structure
    "late_extra_cells.csv": "conc,signal\n" + _ROWS + "60,6.05,oops\n",
    "late_unclosed_quote.csv": "conc,signal\n" + _ROWS + '"60,6.05\n61,6.15\n',
    "repeated_header.csv": "conc,signal\n1,0.1\n2,0.2\nconc,signal\n3,0.3\n4,0.4\n",
    "summary_row_mean.csv": "conc,signal\n1,0.1\n2,0.2\n3,0.3\nMean,0.2\n",
    "short_row.csv": "conc,signal\n1,0.1\n2\n3,0.3\n",
    "duplicate_after_strip.csv": "conc , conc,signal\n1,2,3\n4,5,6\n",
    "blank_header_name.csv": "conc,  ,signal\n1,7,0.2\n2,8,0.4\n",
    "html_as_csv.csv": "<html><body><table><tr><td>conc</td><td>signal</td></tr></table>"
    "</body></html>",
    "json_as_csv.csv": '{"conc": [1, 2, 3], "signal": [0.1, 0.2, 0.3]}\n',
    "gzip_as_csv.csv": b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03conc,signal",
    "zip_as_csv.csv": b"PK\x03\x04\x14\x00\x00\x00\x08\x00conc",
    "header_and_blank_lines.csv": "conc,signal\n\n\n\n",
    "mac_cr_bad_cell.csv": b"conc,signal\r1,0.1\r2,oops\r3,0.3\r",
    "utf8_invalid_after_bom.csv": b"\xef\xbb\xbfconc,signal\n1,0.1\n2,\xff\xfe\n",
    # read correctly
    "tab_named_csv.csv": "conc\tsignal\n1\t0.1\n2\t0.2\n3\t0.3\n",
    "german_grouped.csv": "Konz;Signal\n1.250,5;0,1\n2.500,0;0,2\n3.750,5;0,3\n",
    "utf16_be.txt": "conc\tsignal\n1\t0.1\n2\t0.2\n3\t0.3\n".encode("utf-16-be"),
    "double_bom.csv": "\ufeff\ufeffconc,signal\n1,0.1\n2,0.2\n3,0.3\n",
    "cp1252_micro.csv": "conc (\u00b5M),signal\n1,0.1\n2,0.2\n3,0.3\n".encode("cp1252"),
    "mac_cr.csv": b"conc,signal\r1,0.1\r2,0.2\r3,0.3\r",
    "space_grouped_points.csv": 'conc,signal\n"1 250.5",0.1\n"2 500.0",0.2\n"3 750.5",0.3\n',
    "swiss_apostrophe.csv": "conc;signal\n1'250.5;0.1\n2'500.0;0.2\n3'750.5;0.3\n",
    "nbsp_grouped_commas.csv": "conc;signal\n1\u00a0250,5;0,1\n2\u00a0500,0;0,2\n"
    "3\u00a0750,5;0,3\n",
    "plus_and_exponents.csv": "conc,signal\n+1,1.0E-1\n+2,2.0e-1\n3.,3E-1\n",
    "last_column_empty.csv": "conc,signal,comment\n1,0.1,\n2,0.2,\n3,0.3,\n",
    "metadata_same_width.csv": "Date,2026-11-02\nconc,signal\n1,0.1\n2,0.2\n3,0.3\n",
    "metadata_key_colon.csv": "Operator:,J. Doe\nconc,signal\n1,0.1\n2,0.2\n3,0.3\n",
    "header_extra_named_column.csv": "conc,signal,note\n1,0.1\n2,0.2,repeat\n3,0.3\n",
}


def _excel_files() -> dict[str, object]:
    """Workbooks with the quirks spreadsheets really have (built with openpyxl)."""
    import datetime

    import openpyxl

    def book(*sheets: tuple[str, list[list[object]]]) -> openpyxl.Workbook:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets:
            sheet = workbook.create_sheet(title)
            for row in rows:
                sheet.append(row)
        return workbook

    table = [["conc", "signal"], [1, 0.1], [2, 0.2], [3, 0.3]]
    other = [["conc", "signal"], [1, 9.1], [2, 9.2], [3, 9.3]]
    files: dict[str, object] = {
        "sheet_named_2.xlsx": book(("1", other), ("2", table), ("3", other)),
        "notes_first.xlsx": book(
            ("Notes", [["Assay notes"], ["Run by J. Doe"], ["Kit lot 42"]]), ("Data", table)
        ),
        "text_comma_cells.xlsx": book(
            ("Sheet1", [["conc", "signal"], [1, "12,345"], [2, "23,456"]])
        ),
        "text_decimal_comma_cells.xlsx": book(
            ("Sheet1", [["conc", "signal"], [1, 0.1], [2, "0,2"], [3, 0.3]])
        ),
        "dates_in_excel.xlsx": book(
            (
                "Sheet1",
                [
                    ["day", "signal"],
                    [datetime.datetime(2026, 11, 1), 0.1],
                    [datetime.datetime(2026, 11, 2), 0.2],
                ],
            )
        ),
        "booleans_in_excel.xlsx": book(
            ("Sheet1", [["treated", "signal"], [True, 0.1], [False, 0.2], [True, 0.3]])
        ),
        "error_cell.xlsx": book(
            ("Sheet1", [["conc", "signal"], [1, 0.1], [2, "#DIV/0!"], [3, 0.3]])
        ),
        "offset_table.xlsx": book(
            (
                "Sheet1",
                [
                    [],
                    [],
                    [],
                    [None, None, "conc", "signal"],
                    [None, None, 1, 0.1],
                    [None, None, 2, 0.2],
                    [None, None, 3, 0.3],
                ],
            )
        ),
        "comment_column_empty.xlsx": book(
            ("Sheet1", [["conc", "signal", "comment"], [1, 0.1], [2, 0.2], [3, 0.3]])
        ),
        "metadata_above.xlsx": book(
            (
                "Sheet1",
                [["Reader", "Synergy H1"], [], ["conc", "signal"], [1, 0.1], [2, 0.2], [3, 0.3]],
            )
        ),
    }
    stray = book(("Sheet1", table))
    stray["Sheet1"]["XFD1048576"] = "x"
    files["stray_far_cell.xlsx"] = stray
    formulas = book(("Sheet1", [["conc", "signal"], [1, "=A2*0.1"], [2, "=A3*0.1"],
                                [3, "=A4*0.1"]]))  # fmt: skip
    files["formulas_not_calculated.xlsx"] = formulas
    files["macro_enabled.xlsm"] = book(("Sheet1", table))
    return files


def main() -> None:
    """Write every file of the corpus that is missing (delete a file to write it again)."""
    HERE.mkdir(exist_ok=True)
    for name, content in (TEXT_FILES | MORE_TEXT_FILES).items():
        path = HERE / name
        if path.exists():
            continue
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    excel_sheets = {
        "one_sheet.xlsx": {"Plate1": pd.DataFrame({"conc": [0, 1, 2], "signal": [0.1, 0.2, 0.3]})},
        "empty_sheet.xlsx": {"Sheet1": pd.DataFrame()},
        "lod_in_excel.xlsx": {
            "Results": pd.DataFrame({"conc": [0, 1, 2, 3], "signal": [0.1, 0.2, "<LOD", 0.4]})
        },
    }
    for name, sheets in excel_sheets.items():
        if not (HERE / name).exists():
            with pd.ExcelWriter(HERE / name) as writer:
                for sheet, table in sheets.items():
                    table.to_excel(writer, sheet_name=sheet, index=False)
    if not (HERE / "plate_layout.xlsx").exists():
        import openpyxl

        book = openpyxl.Workbook()
        grid = book.active
        grid.title = "Plate 1"
        grid.append(["Read 1: 595 nm (Bradford)"])
        grid.append([])
        grid.append([None, 1, 2, 3, 4])
        for letter, values in zip("ABC", [[0.41, 0.52, 0.66, 0.80]] * 3, strict=True):
            grid.append([letter, *values])
        book.save(HERE / "plate_layout.xlsx")
    for name, workbook in _excel_files().items():
        if not (HERE / name).exists():
            workbook.save(HERE / name)
    _more_parquet()
    parquet_tables = {
        "boolean_column.parquet": pd.DataFrame(
            {"conc": [0.0, 1.0], "treated": [True, False], "signal": [0.1, 0.2]}
        ),
        "no_rows.parquet": pd.DataFrame({"conc": pd.Series([], dtype=float)}),
    }
    for name, table in parquet_tables.items():
        if not (HERE / name).exists():
            table.to_parquet(HERE / name)


def _more_parquet() -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = {
        "duplicate_names.parquet": pa.table(
            [pa.array([1.0, 2.0, 3.0]), pa.array([3.0, 4.0, 6.0])], names=["conc", "conc"]
        ),
        "int64_overflow.parquet": pa.table(
            {
                "id": pa.array([2**63 - 1, 2**63 - 2, 2**63 - 3]),
                "signal": pa.array([0.1, 0.2, 0.4]),
            }
        ),
        "comma_strings.parquet": pa.table(
            {"conc": pa.array(["1", "2", "3"]), "signal": pa.array(["0,1", "0,2", "0,3"])}
        ),
        "all_null_column.parquet": pa.table(
            {
                "conc": pa.array([1.0, 2.0, 3.0]),
                "signal": pa.array([None, None, None], pa.float64()),
            }
        ),
        "timestamps.parquet": pa.table(
            {
                "when": pa.array([1, 2, 3], pa.timestamp("s")),
                "signal": pa.array([0.1, 0.2, 0.3]),
            }
        ),
    }
    for name, table in tables.items():
        if not (HERE / name).exists():
            pq.write_table(table, HERE / name)


if __name__ == "__main__":
    main()
