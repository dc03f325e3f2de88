"""The OpenAPI document is the truth: Schemathesis runs against the app in-process (WSGI), once per
token role, with every check on, a fixed seed and a bounded number of examples, through its phases:
examples, coverage (boundary values, undeclared methods, missing auth), fuzzing, and the stateful
phase that follows the document's OpenAPI links (article -> translation -> segment -> MT job).
Any failure of any check fails the test, with what Schemathesis says and a curl to reproduce it."""

from __future__ import annotations

import collections
import time
import traceback

import pytest
import schemathesis
from schemathesis.engine import events
from schemathesis.transport import wsgi as schemathesis_wsgi

from workbench.app import create_app
from workbench.data import api_tokens

PHASES = ("examples", "coverage", "fuzzing", "stateful")
# Bounded for a 2-core machine shared with other test runs (about 40 s for admin, 15 s for the
# others): the admin token reaches every operation, so it runs every phase with more examples; the
# translator and reviewer tokens, whose difference is which writes answer 403, fuzz and walk the links.
RUNS = {
    "admin": {"phases": PHASES, "max_examples": 25, "stateful_examples": 60},
    "translator": {"phases": ("fuzzing", "stateful"), "max_examples": 10, "stateful_examples": 30},
    "reviewer": {"phases": ("fuzzing", "stateful"), "max_examples": 10, "stateful_examples": 30},
}
# The links the stateful phase must have followed (admin run): article -> translation -> segment, MT job.
FOLLOWED = (("GetTranslation",), ("GetFirstSegment", "PutFirstSegment"), ("GetJob",))
SEED = 20261207


@pytest.fixture
def wsgi_transport_without_network_options(monkeypatch):
    """Schemathesis 4.32's `ignored_auth` check re-sends a request without credentials through the
    WSGI transport with the run's network options (max_redirects, ...), which werkzeug's test client
    refuses (TypeError): the check then errors instead of running. They mean nothing in-process."""
    send = schemathesis_wsgi.WSGITransport.send

    def without_network_options(self, case, *, session=None, **kwargs):
        for name in ("max_redirects", "verify", "cert", "proxies"):
            kwargs.pop(name, None)
        return send(self, case, session=session, **kwargs)

    monkeypatch.setattr(schemathesis_wsgi.WSGITransport, "send", without_network_options)


def _run(app, token: str, *, phases, max_examples: int, stateful_examples: int) -> dict:
    phase_config = {name: {"enabled": name in phases} for name in PHASES}
    phase_config["stateful"]["generation"] = {"max-examples": stateful_examples}
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "headers": {"Authorization": f"Bearer {token}"},
        "generation": {"max-examples": max_examples, "deterministic": True, "database": "none"},
        "phases": phase_config,
        "workers": 1,
        # An article's body is checked beyond its schema: an uploaded file must be a readable article
        # and the text must hold words and no refused characters (core/hygiene.py). Those answers are
        # documented 422s of these two operations; so must a TMX or glossary file be a readable one
        # with valid entries (or skip_invalid), and so is an assignment or send-back naming an account
        # or a segment number that does not exist. Everywhere else a schema-valid request must pass.
        "operations": [{"include-path-regex": "^/api/v1/(articles(/by-external-id/[^/]+)?|memory/import|glossaries/import)$"
                                              "|^/api/v1/articles/[^/]+/languages/[^/]+/(assignment|send-back)$",
                        "checks": {"positive_data_acceptance": {"expected-statuses": [
                            "2xx", "3xx", "401", "403", "404", "409", "413", "422", "429"]}}},
                       # The stateful phase walks the article chain the OpenAPI links describe (article ->
                       # translation -> segment, MT job); operations no link leads to (team, memory and
                       # glossary imports, figures, webhook deliveries…) are fuzzed above, not walked:
                       # as walk starts they only made the chain asserted below a matter of luck.
                       {"exclude-operation-id-regex": "^(create_article|put_by_external_id|get_article|get_translation|"
                                                      "get_segment|put_segment|translate|get_job)$",
                        "phases": {"stateful": {"enabled": False}}}],
    })
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    failures, errors, statuses, transitions, followed = [], [], collections.Counter(), None, set()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for case_id, interaction in event.recorder.interactions.items():
                if interaction.response is not None:
                    statuses[(event.phase.value, interaction.request.method, interaction.response.status_code)] += 1
                    node = event.recorder.cases.get(case_id)
                    if node is not None and node.transition is not None:
                        # ("POST /api/v1/articles -> [201] GetTranslation -> GET …", the answer's status)
                        followed.add((node.transition.id, interaction.response.status_code))
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        failures.append(f"{event.recorder.label}: {check.name}: {failure.title}\n"
                                        f"{failure.message}\n{check.failure_info.code_sample}")
        elif isinstance(event, events.PhaseStarted) and isinstance(event.payload, events.StatefulPhasePayload):
            transitions = event.payload
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.value!r}\n" + "".join(traceback.format_exception(event.value))[-1500:])
        elif isinstance(event, events.FatalError):
            errors.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.EngineFinished):
            failures += [f"run: {failure.title}: {failure.message}" for failure in event.failures]
    return {"failures": failures, "errors": errors, "statuses": statuses, "transitions": transitions,
            "followed": followed}


@pytest.mark.parametrize("role", list(RUNS))
def test_schemathesis_finds_nothing(role, instance, cli, tiny_packages, wsgi_transport_without_network_options):
    cli("models", "install", str(tiny_packages["en_az"]))  # translate into az answers 202 with a job
    db = instance.db()
    token = api_tokens.add_token(db, f"schemathesis-{role}", role)["token"]
    db.close()
    # Jobs stay queued (no worker): the job link reads a real job. The rate limit is a per-token
    # transport limit tested on its own (test_api.py); here it would turn the run into 429s.
    app = create_app({"TESTING": True, "API_RATE_LIMIT": 1_000_000}, instance_path=instance.path)
    started = time.monotonic()
    result = _run(app, token, **RUNS[role])
    elapsed = time.monotonic() - started
    assert not result["errors"], "\n".join(result["errors"])
    assert not result["failures"], f"{len(result['failures'])} failures:\n\n" + "\n\n".join(result["failures"])
    statuses = result["statuses"]
    assert not [key for key in statuses if key[2] >= 500], statuses
    # The stateful phase walked the document's links: creates, reads and saves through them.
    assert result["transitions"] is not None and result["transitions"].transitions_selected >= 10, result
    assert any(phase == "stateful" for phase, _, _ in statuses), statuses
    if role == "admin":  # the chain's links were followed: article -> translation -> segment, job
        for links in FOLLOWED:
            assert any(f"] {link} -> " in step for link in links for step, _ in result["followed"]), \
                (links, sorted(result["followed"]))
        for link in ("GetTranslation", "GetJob"):  # and answered
            assert any(f"] {link} -> " in step and status < 300 for step, status in result["followed"]), link
    print(f"{role}: {sum(statuses.values())} requests in {elapsed:.1f} s; links followed: {sorted(result['followed'])}")


def test_every_link_names_an_operation_and_all_its_path_parameters(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    operations = {op["operationId"]: (path, op) for path, item in spec["paths"].items()
                  for method, op in item.items() if method != "parameters" and "operationId" in op}
    chain = set()
    for op_id, (_, op) in operations.items():
        for response in op["responses"].values():
            for name, link in (response.get("links") or {}).items():
                target_path, _ = operations[link["operationId"]]
                wanted = {part[1:-1] for part in target_path.split("/") if part.startswith("{")}
                assert wanted <= set(link["parameters"]), (op_id, name, link)
                chain.add((op_id, link["operationId"]))
    for step in [("create_article", "get_translation"), ("put_by_external_id", "get_translation"),
                 ("get_translation", "get_segment"), ("get_segment", "put_segment"),
                 ("put_segment", "translate"), ("translate", "get_job")]:
        assert step in chain, (step, sorted(chain))


def test_405_carries_allow_and_is_a_problem(cms_api, browser):
    for path, allowed in (("/api/v1/articles", {"POST"}), ("/api/v1/jobs/1", {"GET", "HEAD", "OPTIONS"}),
                          ("/api/v1/check", {"POST"}), ("/api/v1/webhooks/deliveries", {"GET", "HEAD", "OPTIONS"})):
        response = cms_api.delete(path)
        assert response.status_code == 405, response.text
        assert response.mimetype == "application/problem+json"
        assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}, response.headers
    page = browser("tina").client.delete("/")  # the web's HTML error page says it too
    assert page.status_code == 405 and "GET" in page.headers["Allow"], (page.status_code, page.headers)


def test_every_status_and_media_type_sent_is_documented(cms_api, instance):
    spec = cms_api.get("/api/v1/openapi.json").get_json()
    problem = spec["components"]["schemas"]["Problem"]
    assert "errors" in problem["properties"]
    default = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(default) == ["application/problem+json"]
    translation = spec["paths"]["/api/v1/articles/{article_id}/translations/{lang}"]["get"]["responses"]["200"]
    assert set(translation["content"]) == {"application/json", "text/plain", "text/markdown", "text/html",
                                           "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            for status, response in op["responses"].items():
                if status.startswith("4") or status == "default":
                    content = response.get("content") or spec["components"]["responses"][
                        response["$ref"].rsplit("/", 1)[1]]["content"]
                    assert list(content) == ["application/problem+json"], (method, path, status)
    # a 422 from validation carries `errors`, and the body is what the document says
    invalid = cms_api.post("/api/v1/check", json={"lang": "xx"})
    assert invalid.status_code == 422 and invalid.mimetype == "application/problem+json"
    assert set(invalid.get_json()) <= set(problem["properties"]) and "errors" in invalid.get_json()
    # a body that is not JSON on a JSON route: 400, documented as problem+json
    broken = cms_api.post("/api/v1/check", data=b"\x00", content_type="application/json")
    assert broken.status_code == 400 and broken.mimetype == "application/problem+json"
    assert "400" in spec["paths"]["/api/v1/check"]["post"]["responses"]


def test_a_form_field_werkzeug_cannot_name_is_a_422_not_a_crash(cms_api):
    # Found by Schemathesis: `name="\"` arrives as None; beside a named field, the 422's messages
    # could not be sorted into JSON and the error handler itself failed (a bare 500).
    response = cms_api.put("/api/v1/articles/by-external-id/story-9", content_type="multipart/form-data",
                           data={"\\": "x", "": "y", "file": "Talks in Baku"})
    assert response.status_code == 422 and response.mimetype == "application/problem+json", response.text
    assert set(response.get_json()["errors"]["form"]) == {"", "(unnamed)"}
