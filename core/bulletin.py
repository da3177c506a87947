"""Facts of the bulletin itself that apps on several floors need: the three
fixed sections, in the order they are printed. A secretariat suggests one of them for its
submission (``submissions``); an issue is laid out in them (``bulletins.document``, which
names them for the rest of the bulletin side)."""

SECTION_POLICY = "重要政策动态"
SECTION_NETWORK = "联盟联络组及协发网动态"
SECTION_ALLIANCES = "试点联盟及协发网网员单位动态"
DEFAULT_SECTIONS = (SECTION_POLICY, SECTION_NETWORK, SECTION_ALLIANCES)
