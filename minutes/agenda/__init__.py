"""Before the meeting: the agenda (föredragningslista), its case documents, and how it becomes the §§.

`items` adds, edits, orders and withdraws agenda items; `documents` checks and stores the PDFs;
`protocol` turns the agenda into the protocol's §§. Each operation is one transaction on a draft
meeting, and the audit trail (minutes.models.history) records every change.
"""
