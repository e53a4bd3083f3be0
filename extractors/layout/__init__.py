"""Stage 2, layout: the outline, task tables, metadata, places and dates of a page's text."""
