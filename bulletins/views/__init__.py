"""Issue pages, one module per page family: the list, a new issue and the history
(``issues``); the assembly page and its writes (``assembly``); the item and block forms
(``items``); the read-through with comments (``detail``); the approval chain's
confirmations (``confirm``); the PDFs and the web edition (``renditions``); the import of a
past issue (``importer``). A view parses with a form, fetches with an ``access_*``, calls
one service or ``workflow.issue_transition``, and renders.
"""
