"""Web pages of citizen feedback, one module a sub-domain.

- ``report_form``: the citizen's report form (with its map of the wards) and the confirmation;
- ``public``: the public list of reports (with the search near a point) and a report's photos;
- ``follow_up``: the reporter's lookup by code and secret, the report's page, close and reopen;
- ``inbox``: the officers' inbox and a report's staff page with its moves.

Thin: parse with a form, call a selector or a service, render; a DomainError becomes a message
next to the field it names, with its HTTP status and nothing written. The public pages never
show the reporter's contact; staff pages show it as the access policy allows.
"""
