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


def main() -> None:
    """Write every file of the corpus that is missing (delete a file to write it again)."""
    HERE.mkdir(exist_ok=True)
    for name, content in TEXT_FILES.items():
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
    parquet_tables = {
        "boolean_column.parquet": pd.DataFrame(
            {"conc": [0.0, 1.0], "treated": [True, False], "signal": [0.1, 0.2]}
        ),
        "no_rows.parquet": pd.DataFrame({"conc": pd.Series([], dtype=float)}),
    }
    for name, table in parquet_tables.items():
        if not (HERE / name).exists():
            table.to_parquet(HERE / name)


if __name__ == "__main__":
    main()
