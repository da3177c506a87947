"""Every read of issues that a view, a task or another app needs: the printable document
(``documents``), issues for a user and who holds them (``issues``), the assembly page
(``layout``), the read-through (``readthrough``), comments, events, versions and their
diffs (``history``), and the PDFs of versions (``renditions``). Import from the module that
defines a read.
"""
