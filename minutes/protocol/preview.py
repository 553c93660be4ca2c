"""The whole protocol as the secretariat previews it before adjustment: as it stands, certified today."""

import datetime

from minutes.models import Meeting
from minutes.protocol.render import Request, render_html
from minutes.protocol.snapshot import build_snapshot


def protocol_html(meeting: Meeting, *, public: bool) -> str:
    request = Request(kind="protocol", public=public, certified_on=datetime.date.today())
    return render_html(build_snapshot(meeting), request)
