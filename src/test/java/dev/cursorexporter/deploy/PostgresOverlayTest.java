package dev.cursorexporter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cursorexporter.testing.RealTools;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.cursorexporter.deploy.KubernetesManifests.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes-postgresql, the overlay for two replicas on the PostgreSQL store, as kubectl's kustomize renders
 * it (Debian 12's kubectl 1.20 as well as newer ones): valid against the schemas, two pods rolled one at a time
 * without a volume claim, the store's URL and password from the Secret, and Prometheus scraping the Service as one
 * target (each pod only for cursor_exporter_poller), so that no sum on a board or in a rule counts a replica twice.
 */
class PostgresOverlayTest {
    static final Path OVERLAY = Path.of("deploy", "kubernetes-postgresql");

    /** The overlay rendered by kubectl kustomize (stdout only: newer kustomize warns about the old fields on stderr). */
    private static List<JsonNode> rendered() {
        Path kubectl = KubernetesManifestsTest.require("kubectl", "kubernetes-client");
        try {
            Process p = new ProcessBuilder(kubectl.toString(), "kustomize", OVERLAY.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kubectl kustomize finished");
            assertEquals(0, p.exitValue(), "kubectl kustomize " + OVERLAY + ":\n" + out);
            // kubectl 1.20's kustomize leaves an empty document where it deleted the volume claim
            return KubernetesManifests.parseYaml(out).stream().filter(o -> o.size() > 0).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theKustomizationNamesEveryFileOfTheOverlay() throws IOException {
        JsonNode k = KubernetesManifests.readYaml(OVERLAY.resolve("kustomization.yaml")).get(0);
        Set<String> named = new TreeSet<>();
        for (String field : List.of("resources", "patchesStrategicMerge")) {
            k.path(field).forEach(f -> named.add(f.asText()));
        }
        Set<String> files = new TreeSet<>();
        try (Stream<Path> all = Files.list(OVERLAY)) {
            all.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                    .forEach(files::add);
        }
        assertEquals(files, named);
        assertEquals("../kubernetes", k.path("bases").get(0).asText(), "built on the base");
    }

    @Test
    void itRendersValidObjects() {
        List<JsonNode> objects = rendered();
        RealTools.Result result = KubernetesManifestsTest.validate(objects);
        assertEquals(0, result.exitCode(), result.output());
        Set<String> kinds = new TreeSet<>();
        objects.forEach(o -> kinds.add(o.path("kind").asText()));
        assertEquals(Set.of("ConfigMap", "Deployment", "PodDisruptionBudget", "PrometheusRule", "ScrapeConfig",
                "Service", "ServiceMonitor"), kinds, "the base's objects without the volume claim, and a ScrapeConfig");
        for (JsonNode o : objects) {
            assertFalse(o.toString().contains("$patch"), "every patch applied, none left in the output: " + o);
        }
    }

    @Test
    void twoReplicasRolledOneAtATimeOnTheStoreFromTheSecret() {
        List<JsonNode> objects = rendered();
        JsonNode deployment = only(objects, "Deployment").path("spec");
        assertEquals(2, deployment.path("replicas").asInt());
        assertEquals("RollingUpdate", deployment.path("strategy").path("type").asText());
        assertEquals(0, deployment.path("strategy").path("rollingUpdate").path("maxUnavailable").asInt(),
                "the new pod is ready before an old one stops");
        JsonNode pod = deployment.path("template").path("spec");
        for (JsonNode v : pod.path("volumes")) {
            assertTrue(v.path("persistentVolumeClaim").isMissingNode(), "no volume claim: " + v);
        }
        JsonNode container = pod.path("containers").get(0);
        JsonNode url = env(container, "CURSOR_EXPORTER_STORE_URL");
        assertFalse(url.has("value"), "the URL comes from the Secret");
        assertEquals("cursor-exporter", url.path("valueFrom").path("secretKeyRef").path("name").asText());
        assertEquals("store-url", url.path("valueFrom").path("secretKeyRef").path("key").asText());
        String passwordFile = env(container, "CURSOR_EXPORTER_STORE_PASSWORD_FILE").path("value").asText();
        String mounted = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            for (JsonNode v : pod.path("volumes")) {
                if (v.path("name").equals(mount.path("name")) && v.has("secret")) {
                    for (JsonNode item : v.path("secret").path("items")) {
                        if ((mount.path("mountPath").asText() + "/" + item.path("path").asText()).equals(passwordFile)) {
                            mounted = item.path("key").asText();
                        }
                    }
                }
            }
        }
        assertEquals("store-password", mounted, "the password file is the Secret's store-password");
        // what the base's pod needs still holds: the key and token files, the probes
        assertTrue(env(container, "CURSOR_API_KEY_FILE").path("value").asText().endsWith("/api-key"));
        assertEquals("/readyz", container.path("readinessProbe").path("httpGet").path("path").asText());
        JsonNode pdb = only(objects, "PodDisruptionBudget").path("spec");
        assertEquals(1, pdb.path("maxUnavailable").asInt(), "a drain evicts one replica at a time");
    }

    @Test
    void prometheusScrapesTheServiceAsOneTargetAndEachPodOnlyForThePollerGauge() throws IOException {
        List<JsonNode> objects = rendered();
        JsonNode service = only(objects, "Service");
        assertEquals("ClientIP", service.path("spec").path("sessionAffinity").asText(),
                "Prometheus's scrapes stay on one replica while it lives");
        int httpPort = -1;
        for (JsonNode port : service.path("spec").path("ports")) {
            if (port.path("name").asText().equals("http")) {
                httpPort = port.path("port").asInt();
            }
        }
        JsonNode scrape = only(objects, "ScrapeConfig").path("spec");
        Matcher job = Pattern.compile("up\\{job=\"([^\"]+)\"}").matcher(KubernetesManifests.read(KubernetesManifests.ALERTS));
        assertTrue(job.find());
        assertEquals(job.group(1), scrape.path("jobName").asText(), "CursorExporterDown's job");
        assertEquals(1, scrape.path("staticConfigs").size());
        JsonNode targets = scrape.path("staticConfigs").get(0).path("targets");
        assertEquals(1, targets.size(), "one target: the Service");
        assertTrue(targets.get(0).asText().matches(Pattern.quote(service.path("metadata").path("name").asText())
                + "\\.[a-z0-9-]+\\.svc:" + httpPort), targets.toString());
        assertEquals("/metrics", scrape.path("metricsPath").asText());
        assertEquals("auth-token", scrape.path("authorization").path("credentials").path("key").asText());

        JsonNode endpoints = only(objects, "ServiceMonitor").path("spec").path("endpoints");
        assertEquals(1, endpoints.size());
        JsonNode perPod = endpoints.get(0);
        String podJob = null;
        for (JsonNode r : perPod.path("relabelings")) {
            if (r.path("targetLabel").asText().equals("job")) {
                podJob = r.path("replacement").asText();
            }
        }
        assertNotEquals(job.group(1), podJob, "the per-pod scrapes are a job of their own");
        assertEquals(1, perPod.path("metricRelabelings").size());
        JsonNode keep = perPod.path("metricRelabelings").get(0);
        assertEquals("keep", keep.path("action").asText());
        assertEquals("[\"__name__\"]", keep.path("sourceLabels").toString());
        assertEquals("cursor_exporter_poller", keep.path("regex").asText(), "nothing a board sums comes per pod");
        assertTrue(Files.readString(Path.of("README.md")).contains("| `cursor_exporter_poller` |"),
                "the kept metric is the one the exporter exposes (README's catalogue)");
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError(name + " is not set in the container");
    }
}
