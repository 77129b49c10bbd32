"""Writers for the shapes researchers write with (XLSX, DOCX, Markdown, CSV, HTML) and REFI-QDA."""
