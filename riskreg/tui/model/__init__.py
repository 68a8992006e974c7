"""What the screens show, computed from the services' frozen records.

Pure Python with no Textual import, so every rule here is tested without a terminal and
costs nothing but arithmetic per keystroke.
"""
