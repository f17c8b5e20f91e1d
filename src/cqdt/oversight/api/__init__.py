"""/api/v1/oversight/…: councils and deputies, voter meetings and petitions, questioning and
commitments, dialogue conferences, citizen reception, and the ward's report to the council.

Thin: scope through ``oversight.selectors.visible_unit_codes`` (a record outside it is the same
404 as a missing one), then a selector or a service; domain errors map to HTTP in
``core.api_errors``. One router, its operations in a module a sub-domain; importing them here
registers them in the order the paths must be matched (a fixed path such as
``/petitions/by-ward`` before ``/petitions/{petition_id}``, within its module).
"""

from cqdt.oversight.api import conferences, councils, petitions, questioning, reception
from cqdt.oversight.api.shared import router

__all__ = ["conferences", "councils", "petitions", "questioning", "reception", "router"]
