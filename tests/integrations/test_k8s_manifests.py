"""The Kubernetes manifests: schema-valid (kubernetes-validate's bundled JSON schemas, strict: unknown
fields fail; no network, which the test enforces) and consistent with each other and with the image."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
# The oldest Kubernetes we document support for, and the newest the bundled schemas know.
VERSIONS = ["1.29.0", latest_version()]


def load() -> dict[str, list[dict[str, Any]]]:
    docs = {path.name: [d for d in yaml.safe_load_all(path.read_text()) if d] for path in sorted(K8S.glob("*.yaml"))}
    assert docs, "no manifests found"
    return docs


MANIFESTS = load()
RESOURCES = {  # kind, name → object (the Kustomization is build input, not an object)
    (d["kind"], d["metadata"]["name"]): d for docs in MANIFESTS.values() for d in docs if d["kind"] != "Kustomization"
}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach the network fails the test: the schemas must come from the wheel."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("kubernetes-validate tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", [n for n in MANIFESTS if n != "kustomization.yaml"])
def test_schema_valid(name: str, version: str) -> None:
    for doc in MANIFESTS[name]:
        kubernetes_validate.validate(doc, version, strict=True)  # raises ValidationError


@pytest.mark.usefixtures("no_network")
def test_the_validator_really_rejects() -> None:
    bad = yaml.safe_load((K8S / "deployment.yaml").read_text())
    probe = bad["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
    probe["httpget"] = probe.pop("httpGet")  # a typo kubectl would reject
    with pytest.raises(kubernetes_validate.ValidationError, match="httpget"):
        kubernetes_validate.validate(bad, VERSIONS[-1], strict=True)


def test_kustomization_lists_existing_files() -> None:
    (kustomization,) = MANIFESTS["kustomization.yaml"]
    assert kustomization["resources"] and all((K8S / r).is_file() for r in kustomization["resources"])
    assert "deployment-gpu.yaml" not in kustomization["resources"]  # GPU nodes are opt-in


def deployments() -> list[dict[str, Any]]:
    return [d for (kind, _), d in RESOURCES.items() if kind == "Deployment"]


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    (c,) = deployment["spec"]["template"]["spec"]["containers"]
    return dict(c)


def cpu_cores(quantity: str) -> float:
    return float(quantity[:-1]) / 1000 if quantity.endswith("m") else float(quantity)


def mebibytes(quantity: str) -> float:
    units = {"Mi": 1, "Gi": 1024}
    m = re.fullmatch(r"(\d+)(Mi|Gi)", quantity)
    assert m, quantity
    return int(m.group(1)) * units[m.group(2)]


@pytest.mark.parametrize("deployment", deployments(), ids=lambda d: d["metadata"]["name"])
def test_probes_resources_and_security(deployment: dict[str, Any]) -> None:
    spec = deployment["spec"]
    pod = spec["template"]["spec"]
    c = container(deployment)
    assert spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items()
    (port,) = c["ports"]
    assert port == {"name": "http", "containerPort": 8000, "protocol": "TCP"}  # the image's EXPOSE/TTS_PORT
    assert c["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
    assert c["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    requests, limits = c["resources"]["requests"], c["resources"]["limits"]
    assert cpu_cores(requests["cpu"]) == cpu_cores(limits["cpu"]) == 2  # 2 cores per replica
    assert mebibytes(requests["memory"]) == mebibytes(limits["memory"]) >= 1024  # idle RSS ~500 MB, 2x headroom
    env = {e["name"]: e for e in c["env"]}
    assert env["TTS_THREADS"]["valueFrom"]["resourceFieldRef"]["resource"] == "limits.cpu"
    # the image's numeric user (Dockerfile: USER 10001), non-root, nothing to escalate to
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"USER {pod['securityContext']['runAsUser']}:" in dockerfile
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert c["securityContext"]["allowPrivilegeEscalation"] is False
    assert c["securityContext"]["capabilities"]["drop"] == ["ALL"]
    if c["securityContext"].get("readOnlyRootFilesystem"):
        assert {m["mountPath"] for m in c["volumeMounts"]} >= {"/tmp"}  # numba cache, HOME
    assert pod["terminationGracePeriodSeconds"] > 5  # more than the preStop sleep
    envfrom = {ref.get("configMapRef", {}).get("name") for ref in c["envFrom"]}
    assert ("ConfigMap", "speakeasy-tts") in RESOURCES and "speakeasy-tts" in envfrom


def test_gpu_variant_asks_for_a_gpu() -> None:
    gpu = RESOURCES[("Deployment", "speakeasy-tts-gpu")]
    pod = gpu["spec"]["template"]["spec"]
    c = container(gpu)
    assert str(c["resources"]["limits"]["nvidia.com/gpu"]) == "1"
    assert pod["nodeSelector"] and any(t["key"] == "nvidia.com/gpu" for t in pod["tolerations"])
    assert {"name": "TTS_DEVICE", "value": "cuda"} in c["env"]
    assert c["image"].endswith("-gpu")


def test_service_hpa_and_pdb_select_the_pods() -> None:
    cpu = RESOURCES[("Deployment", "speakeasy-tts")]
    labels = [d["spec"]["template"]["metadata"]["labels"] for d in deployments()]
    service = RESOURCES[("Service", "speakeasy-tts")]
    assert all(service["spec"]["selector"].items() <= pod.items() for pod in labels)
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] == "http"
    pdb = RESOURCES[("PodDisruptionBudget", "speakeasy-tts")]
    assert all(pdb["spec"]["selector"]["matchLabels"].items() <= pod.items() for pod in labels)
    hpa = RESOURCES[("HorizontalPodAutoscaler", "speakeasy-tts")]
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "speakeasy-tts"}
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu" and metric["resource"]["target"]["type"] == "Utilization"
    assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    assert "replicas" not in cpu["spec"]  # the HPA owns it; re-applying must not reset a scaled fleet
