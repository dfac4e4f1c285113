"""Importing projects: spreadsheets (CSV, XLSX) and IATI activity files, checked row by row before anything
is saved."""
