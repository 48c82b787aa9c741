from django.core.management import call_command


def test_openapi_schema_generates_and_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    text = target.read_text()
    for path in ("/api/v1/youths/", "/api/v1/caseload/", "/api/v1/parameter-sets/", "/api/v1/mkba/scenario/"):
        assert f"  {path}:" in text
