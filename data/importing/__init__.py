"""Importing case exports from a county's petition management system.

``readers`` turns an .xlsx/.xls/.csv into a table of strings with spreadsheet
row numbers; ``columns`` maps its headers to fields; ``values`` parses the
cells; ``places`` matches townships and parks; ``cases`` validates and stores
the rows in one transaction; ``reasons`` words the quarantine reasons and
writes the masked error workbook. Nothing here imports Streamlit.
"""
