"""Authentication, XSRF, traversal payloads and symlinks: nothing gets through, nothing is written."""

from __future__ import annotations

import json
import os

import pytest

from .conftest import API, ROUTES, call, files_under

SHARED = "automl_generated_code"
HEX = "0123456789abcdef" * 2


@pytest.fixture
def ids(trained_store):
    store = trained_store["store"]
    experiment = store.get_experiment(trained_store["classification"].experiment_id)
    return {"experiment": experiment.id, "run": experiment.best_run_id}


@pytest.fixture
def raw(http_server_client, jp_base_url):
    """Send a request with the path exactly as given (jp_fetch would escape it)."""

    async def send(method, path, *, headers=None, body=None):
        if body is None and method == "POST":
            body = b""
        return await http_server_client.fetch(
            f"{jp_base_url}{API}/{path}",
            method=method,
            headers=headers or {},
            body=body,
            raise_error=False,
            follow_redirects=False,
        )

    return send


def _json_error(response) -> dict:
    assert response.headers["Content-Type"].startswith("application/json")
    reply = json.loads(response.body)
    assert set(reply) == {"message", "reason"}, reply
    assert "Traceback" not in reply["message"]
    return reply


async def test_every_route_refuses_requests_without_a_valid_token(raw, ids, jp_root_dir):
    for method, template in ROUTES:
        path = template.format(**ids)
        for headers in ({}, {"Authorization": "token wrong"}, {"Authorization": "token "}):
            response = await raw(method, path, headers=headers)
            assert response.code == 403, (method, path, headers)
            assert _json_error(response)["reason"] == "forbidden"
    assert files_under(jp_root_dir) == []


async def test_a_cookie_post_needs_the_xsrf_check_a_token_post_does_not(
    raw, ids, jp_auth_header, jp_root_dir
):
    login = await raw("GET", "experiments", headers=jp_auth_header)
    assert login.code == 200
    cookie = "; ".join(value.split(";", 1)[0] for value in login.headers.get_list("Set-Cookie"))
    assert cookie, "a token request sets the login cookie"
    codegen = f"runs/{ids['run']}/codegen"

    assert (await raw("GET", "experiments", headers={"Cookie": cookie})).code == 200
    refused = await raw("POST", codegen, headers={"Cookie": cookie})
    assert refused.code == 403
    assert "_xsrf" in _json_error(refused)["message"]
    assert files_under(jp_root_dir) == []

    with_xsrf = {"Cookie": f"{cookie}; _xsrf=abc123", "X-XSRFToken": "abc123"}
    assert (await raw("POST", codegen, headers=with_xsrf)).code == 201
    with_token = await raw("POST", codegen, headers=jp_auth_header, body=b'{"overwrite": true}')
    assert with_token.code == 201
    assert json.loads(with_token.body)["written"] is True


TRAVERSAL_IDS = [
    "..",
    "...",
    "..%2f..%2fetc%2fpasswd",
    "..%2F..%2F",
    "%2e%2e%2f%2e%2e%2f",
    "%252e%252e%252f",
    "..%5c..%5cwindows",
    "..\\..\\windows",
    "%2fetc%2fpasswd",
    "C:%5cx",
    "C:\\x",
    "file:%2f%2f%2fetc%2fpasswd",
    "%23",
    f"AutoML_{HEX}_1%23frag",
    "%00",
    f"AutoML_{HEX}_1%00",
    f"AutoML_{HEX}_1%00.py",
    "%EF%BC%8E%EF%BC%8E%EF%BC%8F",  # fullwidth ．．／
    f"AutoML_{HEX}_1%0A",
    f"AutoML_{HEX}_1%0D%0A",
    f"AutoML_{HEX}_1%20",
    f"AutoML_{HEX}%EF%BC%BF1",  # fullwidth low line
    f"AutoML_{HEX}_%EF%BC%91",  # fullwidth digit one
    f"exp_{HEX}%0A",
    "%ff%fe",
    "A" * 5000,
    f"AutoML_{HEX}_" + "1" * 500,
]
# Raw traversal that changes the route itself: answered by the API's JSON 404.
TRAVERSAL_PATHS = [
    "runs/../../../etc/passwd",
    "runs//etc/passwd/code",
    "runs/file:///etc/passwd/code",
    f"runs/AutoML_{HEX}_1/../../experiments",
    "experiments/../runs",
]


async def test_traversal_payloads_in_ids_are_refused_before_any_lookup(
    raw, jp_auth_header, jp_root_dir
):
    id_routes = [(method, template) for method, template in ROUTES if "{" in template]
    for payload in TRAVERSAL_IDS:
        for method, template in id_routes:
            path = template.format(experiment=payload, run=payload)
            response = await raw(method, path, headers=jp_auth_header)
            assert response.code == 400, (path, response.code)
            reply = _json_error(response)
            assert reply["reason"] in ("invalid_id", "bad_request"), reply
            assert len(reply["message"]) < 300, "a long id is not echoed back"
    for path in TRAVERSAL_PATHS:
        for method in ("GET", "POST"):
            response = await raw(method, path, headers=jp_auth_header)
            assert 400 <= response.code < 500, (path, response.code)
            _json_error(response)
    assert files_under(jp_root_dir) == []


async def _codegen(jp_fetch, run_id, overwrite=False):
    return await call(
        jp_fetch, "POST", f"runs/{run_id}/codegen", body=json.dumps({"overwrite": overwrite})
    )


async def test_a_symlink_out_of_the_shared_folder_is_refused(jp_fetch, ids, jp_root_dir, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    shared = jp_root_dir / SHARED
    shared.mkdir()
    (shared / "penguins").symlink_to(outside, target_is_directory=True)
    status, reply = await _codegen(jp_fetch, ids["run"])
    assert (status, reply["reason"]) == (409, "outside_shared_folder")
    assert str(tmp_path) not in reply["message"]
    assert files_under(outside) == []


async def test_a_symlink_to_a_sibling_with_the_same_prefix_is_refused(jp_fetch, ids, jp_root_dir):
    sibling = jp_root_dir / f"{SHARED}_x"  # a startswith() check would accept it
    sibling.mkdir()
    (jp_root_dir / SHARED).mkdir()
    (jp_root_dir / SHARED / "penguins").symlink_to(sibling, target_is_directory=True)
    status, reply = await _codegen(jp_fetch, ids["run"])
    assert (status, reply["reason"]) == (409, "outside_shared_folder")
    assert files_under(sibling) == []


async def test_a_shared_folder_linked_out_of_the_root_is_refused(
    jp_fetch, ids, jp_root_dir, tmp_path
):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (jp_root_dir / SHARED).symlink_to(outside, target_is_directory=True)
    status, reply = await _codegen(jp_fetch, ids["run"])
    assert (status, reply["reason"]) == (409, "outside_shared_folder")
    assert files_under(outside) == []


async def test_a_linked_file_in_an_existing_folder_is_not_written_through(
    jp_fetch, ids, jp_root_dir, tmp_path
):
    status, reply = await _codegen(jp_fetch, ids["run"])
    assert status == 201
    victim = tmp_path / "victim.py"
    victim.write_text("precious\n", encoding="utf-8")
    script = jp_root_dir / reply["files"]["script.py"]
    script.unlink()
    os.symlink(victim, script)
    status, reply = await _codegen(jp_fetch, ids["run"], overwrite=True)
    assert (status, reply["reason"]) == (409, "outside_shared_folder")
    assert victim.read_text(encoding="utf-8") == "precious\n"
