"""Staff pages of the one-stop shop (the citizens' pages are in ``dossiers.public_views``):

- ``lists``: the desk's queue (with a dashboard figure's or a worklist count's dossiers) and the
  leader's signing tray;
- ``intake``: the counter, where the desk records and receives a dossier;
- ``dossier``: a dossier's page, the moves its forms post, and its files;
- ``printed``: the printed papers of Circular 01/2018/TT-VPCP, Mẫu 01–05 of a dossier and the
  desk's tracking log (Mẫu 06);
- ``shared``: what they share: the caller's units and dossiers, the applicant's data as the caller
  may see it.

Thin: parse with a form, call a selector or a service, render; a DomainError becomes a message
next to the field it names, with its HTTP status and nothing written.
"""
