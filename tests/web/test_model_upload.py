"""Installing an MT package from the browser: real sizes pass the CSRF form parsing, for admins only;
a package whose model does not load is refused; messages never show the server's temporary paths."""

from __future__ import annotations

import io
import tempfile
import zipfile

from workbench.core.mt import packages

PADDING = 6 * 1024 * 1024  # over the app's 5 MB limit for other uploads


def _rebuilt(source, *, extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    """The package's zip with entries replaced or added (stored: the size stays real)."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w") as archive:
        top = original.namelist()[0].split("/")[0]
        for info in original.infolist():
            data = original.read(info)
            for suffix, new in (replace or {}).items():
                if info.filename == f"{top}/{suffix}":
                    data = new
            archive.writestr(info, data)
        for suffix, data in (extra or {}).items():
            archive.writestr(zipfile.ZipInfo(f"{top}/{suffix}"), data, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def _form_post(user, url, data: bytes, filename: str):
    """A plain browser form post: the CSRF token is a form field (admin/index.html), not a header."""
    return user.client.post(url, data={"csrf_token": user.token, "file": (io.BytesIO(data), filename)},
                            content_type="multipart/form-data")


def test_an_admin_installs_a_package_larger_than_the_form_limit(browser, tiny_packages, instance):
    big = _rebuilt(tiny_packages["en_az"], extra={"padding.bin": b"\0" * PADDING})
    assert len(big) > PADDING
    response = _form_post(browser("adam"), "/admin/models", big, "translate-en_az-1_0.argosmodel")
    assert response.status_code == 302, response.text[:500]
    assert [p.pair for p in packages.installed(instance.models_dir)] == ["en-az"]


def test_the_large_limit_is_for_admins_on_the_model_route_only(browser, tiny_packages, instance):
    big = _rebuilt(tiny_packages["en_az"], extra={"padding.bin": b"\0" * PADDING})
    tina = browser("tina")
    refused = tina.post("/admin/models", {"file": (io.BytesIO(big), "p.argosmodel")}, htmx=False,
                        content_type="multipart/form-data")
    assert refused.status_code == 413 and 'role="alert"' in refused.text
    adam = browser("adam")
    article = adam.post("/articles", {"file": (io.BytesIO(b"x" * PADDING), "a.txt")}, htmx=False,
                        content_type="multipart/form-data")
    assert article.status_code == 413
    assert packages.installed(instance.models_dir) == []


def _assert_no_server_paths(text: str, instance):
    for path in (tempfile.gettempdir(), str(instance.path), str(instance.models_dir)):
        assert path not in text
    assert ".installing-" not in text and "upload.argosmodel" not in text


def test_a_package_whose_model_does_not_load_is_refused_without_server_paths(browser, tiny_packages, instance):
    broken = _rebuilt(tiny_packages["en_az"], replace={"model/model.bin": b"\x00" * 64})
    response = _form_post(browser("adam"), "/admin/models", broken, "translate-en_az-1_0.argosmodel")
    assert response.status_code == 400
    assert "translate-en_az-1_0.argosmodel: the model does not load" in response.text
    _assert_no_server_paths(response.text, instance)
    assert packages.installed(instance.models_dir) == []
    assert [p.name for p in instance.models_dir.iterdir()] == []  # no staging folder left


def test_package_errors_name_the_upload_not_the_temporary_file(browser, tiny_packages, instance):
    adam = browser("adam")
    not_zip = _form_post(adam, "/admin/models", b"not a zip", "mine.argosmodel")
    assert not_zip.status_code == 400 and "mine.argosmodel: not a zip archive" in not_zip.text
    _assert_no_server_paths(not_zip.text, instance)
    no_tokenizer = io.BytesIO()
    with zipfile.ZipFile(no_tokenizer, "w") as z:
        z.writestr("p/metadata.json", '{"from_code": "en", "to_code": "az"}')
        z.writestr("p/model/model.bin", b"x")
    response = _form_post(adam, "/admin/models", no_tokenizer.getvalue(), "mine.argosmodel")
    assert response.status_code == 400 and "mine.argosmodel: no sentencepiece.model" in response.text
    _assert_no_server_paths(response.text, instance)


def test_an_uploaded_zip_bomb_is_refused_by_the_instance_limits(browser, tiny_packages, instance):
    bomb = io.BytesIO()
    with zipfile.ZipFile(tiny_packages["en_az"]) as original, zipfile.ZipFile(bomb, "w") as archive:
        for info in original.infolist():
            archive.writestr(info, original.read(info))
        archive.writestr("translate-en_az-1_0/model/padding.bin", b"\0" * (40 * 1024 * 1024),
                         compress_type=zipfile.ZIP_DEFLATED)
    adam = browser("adam")
    response = _form_post(adam, "/admin/models", bomb.getvalue(), "bomb.argosmodel")
    assert response.status_code == 400
    assert "bomb.argosmodel: translate-en_az-1_0/model/padding.bin is compressed" in response.text
    assert "[models] max_ratio" in response.text
    _assert_no_server_paths(response.text, instance)
    assert [p.name for p in instance.models_dir.iterdir()] == []
    instance.settings_file.write_text("[models]\nmax_unpacked_bytes = 1000000\n", encoding="utf-8")
    small = _form_post(adam, "/admin/models", tiny_packages["en_az"].read_bytes(), "small.argosmodel")
    assert small.status_code == 400 and "limit of 1,000,000 bytes" in small.text
    assert [p.name for p in instance.models_dir.iterdir()] == []
