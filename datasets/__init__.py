"""complaintlab's own corpora, installed as the data-only package ``complaintlab._datasets``.

Load them with :mod:`complaintlab.datasets`; the data card is ``README.md`` and the schema is
``datapackage.json`` (both in this folder).
"""
