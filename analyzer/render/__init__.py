"""Render: results in, text out. Leaves that only format what they are given and decide nothing: a
Report (terminal, json), a team's grading (csv, html, json), the regression checks (regress,
junit), a rule pack (rules), the practice page, progress."""
