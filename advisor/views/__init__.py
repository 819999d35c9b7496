"""Pages, one module per subject. Each view validates, calls a selector or a service, and renders.

htmx requests get the named fragment of the same template ("page.html#fragment"); everything
else gets the full page, so each page works with and without JavaScript.
"""
