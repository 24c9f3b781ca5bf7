"""Statistics for administrators and donors: figures aggregated in the database, charts, exports."""
