"""PostgreSQL refuses any change to an adjusted protocol's data, whoever sends it.

Services and the admin refuse first, with a message; these triggers are the floor under them
for raw SQL, a forgotten code path or a bulk update.
"""

from django.db import migrations

FROZEN = """
CREATE OR REPLACE FUNCTION paragraf_meeting_frozen(mid bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT status IN ('adjusted', 'announced') FROM minutes_meeting WHERE id = mid), false)
$$;
CREATE OR REPLACE FUNCTION paragraf_item_frozen(iid bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT paragraf_meeting_frozen(meeting_id) FROM minutes_item WHERE id = iid), false
    ) OR EXISTS (
        SELECT 1 FROM minutes_adjustmentround WHERE item_id = iid AND state = 'completed'
    )
$$;
"""

# table -> SQL expression (over the row R) that is true when the row belongs to adjusted data
GUARDED = {
    "minutes_item": "paragraf_item_frozen(R.id)",
    "minutes_attendance": "paragraf_meeting_frozen(R.meeting_id)",
    "minutes_adjuster": "paragraf_meeting_frozen(R.meeting_id)",
    "minutes_motion": "paragraf_item_frozen(R.item_id)",
    "minutes_proposition": "paragraf_item_frozen(R.item_id)",
    "minutes_recusal": "paragraf_item_frozen(R.item_id)",
    "minutes_reservation": "paragraf_item_frozen(R.item_id)",
    "minutes_statement": "paragraf_item_frozen(R.item_id)",
    "minutes_motionmover": "paragraf_item_frozen((SELECT item_id FROM minutes_motion WHERE id = R.motion_id))",
    "minutes_ballot": "paragraf_item_frozen((SELECT item_id FROM minutes_proposition WHERE id = R.proposition_id))",
    "minutes_reservationmember": (
        "paragraf_item_frozen((SELECT item_id FROM minutes_reservation WHERE id = R.reservation_id))"
    ),
    "minutes_statementauthor": (
        "paragraf_item_frozen((SELECT item_id FROM minutes_statement WHERE id = R.statement_id))"
    ),
}

# Records of the adjustment itself are written once and never changed or removed.
WRITE_ONCE = ["minutes_approval", "minutes_sealeddocument", "minutes_announcement"]

REFUSE = "RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = "


def guard_sql(table: str, frozen: str) -> str:
    old, new = frozen.replace("R.", "OLD."), frozen.replace("R.", "NEW.")
    return f"""
CREATE OR REPLACE FUNCTION {table}_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP IN ('UPDATE', 'DELETE') AND {old}) OR (TG_OP IN ('INSERT', 'UPDATE') AND {new}) THEN
        {REFUSE}'Paragraf: {table} belongs to an adjusted protocol and cannot change';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER {table}_guard BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_guard();
"""


MEETING = f"""
CREATE OR REPLACE FUNCTION minutes_meeting_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN ('adjusted', 'announced') THEN
        -- The one change left to an adjusted meeting is its announcement.
        IF TG_OP = 'DELETE' OR NEW.status NOT IN ('adjusted', 'announced')
           OR (OLD.status = 'announced' AND NEW.status <> 'announced')
           OR ROW(NEW.committee_id, NEW.number, NEW.date, NEW.start_time, NEW.end_time, NEW.place,
                  NEW.chair_id, NEW.secretary_id, NEW.adjustment_at, NEW.adjustment_place, NEW.version)
              IS DISTINCT FROM
              ROW(OLD.committee_id, OLD.number, OLD.date, OLD.start_time, OLD.end_time, OLD.place,
                  OLD.chair_id, OLD.secretary_id, OLD.adjustment_at, OLD.adjustment_place, OLD.version)
        THEN
            {REFUSE}'Paragraf: the meeting is adjusted and cannot change';
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER minutes_meeting_guard BEFORE UPDATE OR DELETE ON minutes_meeting
    FOR EACH ROW EXECUTE FUNCTION minutes_meeting_guard();

CREATE OR REPLACE FUNCTION minutes_adjustmentround_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.state <> 'open' THEN
        {REFUSE}'Paragraf: a closed adjustment round cannot change';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER minutes_adjustmentround_guard BEFORE UPDATE OR DELETE ON minutes_adjustmentround
    FOR EACH ROW EXECUTE FUNCTION minutes_adjustmentround_guard();
"""


def write_once_sql(table: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {table}_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {REFUSE}'Paragraf: {table} is written once and cannot change';
END $$;
CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_guard();
"""


def all_tables() -> list[str]:
    return [*GUARDED, *WRITE_ONCE, "minutes_meeting", "minutes_adjustmentround"]


def install(apps, schema_editor) -> None:
    statements = [FROZEN, MEETING]
    statements += [guard_sql(table, frozen) for table, frozen in GUARDED.items()]
    statements += [write_once_sql(table) for table in WRITE_ONCE]
    for sql in statements:
        schema_editor.execute(sql)


def uninstall(apps, schema_editor) -> None:
    for table in all_tables():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_guard ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_guard()")
    schema_editor.execute("DROP FUNCTION IF EXISTS paragraf_item_frozen(bigint)")
    schema_editor.execute("DROP FUNCTION IF EXISTS paragraf_meeting_frozen(bigint)")


class Migration(migrations.Migration):
    dependencies = [("minutes", "0003_adjustment")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
