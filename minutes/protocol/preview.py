"""The whole protocol as the secretariat previews it: as it stands (as adjusted, once it is), certified today."""

import datetime

from minutes.models import Meeting
from minutes.protocol.adjusted import snapshot_for
from minutes.protocol.render import Request, render_html


def protocol_html(meeting: Meeting, *, public: bool) -> str:
    request = Request(kind="protocol", public=public, certified_on=datetime.date.today())
    return render_html(snapshot_for(meeting), request)
