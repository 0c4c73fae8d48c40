package dev.cursorexporter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cursorexporter.testing.RealTools;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.cursorexporter.deploy.KubernetesManifests.objects;
import static dev.cursorexporter.deploy.KubernetesManifests.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes: the generated PrometheusRule and dashboard ConfigMaps equal their sources; every manifest is
 * valid against the Kubernetes and prometheus-operator schemas (kubernetes-models from npm, installed by .ci/run);
 * kubectl's kustomize renders the kustomization; promtool accepts the rules; and the facts that make the
 * deployment work hold (probes without credentials, secrets only by reference, the image's user, ports, selectors).
 */
class KubernetesManifestsTest {
    private static final Path VALIDATOR = Path.of("src", "test", "kubernetes");

    // ---- generated, never hand-copied -------------------------------------------------------------------------

    @Test
    void generatedFilesAreUpToDateWithAlertsAndDashboards() {
        if (Boolean.getBoolean("k8s.regenerate")) {
            KubernetesManifests.write();
        }
        KubernetesManifests.generated().forEach((path, expected) -> assertEquals(expected,
                Files.exists(path) ? KubernetesManifests.read(path) : "(missing)",
                path + " differs from its source; regenerate it with: " + KubernetesManifests.REGENERATE));
    }

    @Test
    void thePrometheusRuleHoldsExactlyTheGroupsOfTheAlertsFile() {
        JsonNode rule = only(KubernetesManifests.readYaml(KubernetesManifests.PROMETHEUS_RULE), "PrometheusRule");
        JsonNode groups = KubernetesManifests.readYaml(KubernetesManifests.ALERTS).get(0).get("groups");
        assertEquals(groups, rule.path("spec").path("groups"), KubernetesManifests.REGENERATE);
        assertTrue(groups.size() > 0 && groups.get(0).path("rules").size() > 0);
    }

    @Test
    void theDashboardConfigMapsHoldExactlyTheBoardsForTheSidecar() {
        Map<String, String> inConfigMaps = new LinkedHashMap<>();
        for (JsonNode map : KubernetesManifests.readYaml(KubernetesManifests.DASHBOARDS)) {
            assertEquals("ConfigMap", map.path("kind").asText());
            assertEquals("1", map.path("metadata").path("labels").path("grafana_dashboard").textValue(),
                    map.path("metadata").path("name") + ": the sidecar's label, a string");
            assertEquals(1, map.path("data").size(), "one board per ConfigMap (each well under 1 MiB)");
            map.path("data").fields().forEachRemaining(e -> inConfigMaps.put(e.getKey(), e.getValue().textValue()));
        }
        Map<String, String> boards = new LinkedHashMap<>();
        for (Path board : KubernetesManifests.boards()) {
            boards.put(board.getFileName().toString(), KubernetesManifests.read(board));
        }
        assertEquals(boards.keySet(), inConfigMaps.keySet(), KubernetesManifests.REGENERATE);
        boards.forEach((file, text) -> assertEquals(text, inConfigMaps.get(file),
                file + " differs byte for byte; " + KubernetesManifests.REGENERATE));
        assertEquals("Cursor (admin)", KubernetesManifests.folders().get("cursor-people.json"),
                "the people board (e-mail addresses) goes to the admin folder, as in docker-compose");
    }

    @Test
    void theKustomizationListsEveryManifest() throws IOException {
        Set<Path> files = new TreeSet<>();
        try (Stream<Path> all = Files.walk(KubernetesManifests.DIR)) {
            all.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml"))
                    .forEach(files::add);
        }
        assertEquals(files, new TreeSet<>(KubernetesManifests.resources()));
    }

    // ---- real tools ----------------------------------------------------------------------------------------------

    @Test
    void everyManifestValidatesAgainstTheKubernetesAndPrometheusOperatorSchemas() {
        List<JsonNode> objects = objects();
        RealTools.Result result = validate(objects);
        assertEquals(0, result.exitCode(), result.output());
        Set<String> kinds = new TreeSet<>();
        objects.forEach(o -> kinds.add(o.path("kind").asText()));
        assertEquals(Set.of("ConfigMap", "Deployment", "PersistentVolumeClaim", "PodDisruptionBudget", "PrometheusRule",
                "Service", "ServiceMonitor"), kinds);
        assertEquals(objects.size(), result.output().lines().filter(l -> l.startsWith("valid: ")).count(),
                result.output());
    }

    @Test
    void theValidatorRejectsBrokenManifests() {
        List<JsonNode> objects = objects();
        ObjectNode deployment = only(objects, "Deployment").deepCopy();
        ((ObjectNode) deployment.path("spec")).put("replicas", "one");
        ObjectNode monitor = only(objects, "ServiceMonitor").deepCopy();
        ((ObjectNode) monitor.path("spec").path("endpoints").get(0)).put("scheme", "gopher");
        ObjectNode rule = only(objects, "PrometheusRule").deepCopy();
        ((ObjectNode) rule.path("spec").path("groups").get(0)).remove("name");
        ObjectNode service = only(objects, "Service").deepCopy();
        ((ObjectNode) service.path("spec").path("ports").get(0)).remove("port");
        RealTools.Result result = validate(List.of(deployment, monitor, rule, service));
        assertEquals(1, result.exitCode(), result.output());
        assertEquals(4, result.output().lines().filter(l -> l.startsWith("invalid: ")).count(), result.output());
        ObjectNode unknown = only(objects, "Service").deepCopy();
        unknown.put("kind", "Servic");
        assertEquals(2, validate(List.of(unknown)).exitCode(), "a kind without a schema must not pass");
    }

    @Test
    void kubectlKustomizeRendersEveryObject() {
        Path kubectl = require("kubectl", "kubernetes-client");
        RealTools.Result result = RealTools.run(Path.of("").toAbsolutePath(), 120, kubectl.toString(), "kustomize",
                KubernetesManifests.DIR.toString());
        assertEquals(0, result.exitCode(), result.output());
        List<JsonNode> rendered = KubernetesManifests.parseYaml(result.output());
        assertEquals(names(objects()), names(rendered));
        RealTools.Result valid = validate(rendered);
        assertEquals(0, valid.exitCode(), valid.output());
    }

    @Test
    void promtoolAcceptsTheRulesOfThePrometheusRule(@TempDir Path tmp) throws IOException {
        Path promtool = RealTools.require("promtool");
        JsonNode rule = only(objects(), "PrometheusRule");
        Path rules = Files.writeString(tmp.resolve("rules.yml"), KubernetesManifests.yaml(rule.path("spec")));
        RealTools.Result result = RealTools.run(tmp, 60, promtool.toString(), "check", "rules", rules.toString());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS"), result.output());
    }

    // ---- what makes it work ---------------------------------------------------------------------------------------

    @Test
    void theProbesHitHealthzAndReadyzOnTheHttpPortWithoutCredentials() {
        JsonNode container = container();
        assertEquals("/healthz", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/healthz", container.path("startupProbe").path("httpGet").path("path").asText());
        assertEquals("/readyz", container.path("readinessProbe").path("httpGet").path("path").asText());
        for (String probe : List.of("livenessProbe", "startupProbe", "readinessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertTrue(get.path("httpHeaders").isMissingNode(), probe + " must send no header (no credentials)");
            assertFalse(container.path(probe).has("exec"), probe + ": an HTTP probe");
            assertEquals(Set.of(9464), containerPorts(container, get.path("port")), probe + " port");
        }
    }

    @Test
    void secretsComeOnlyFromTheSecretByReference() {
        for (JsonNode o : objects()) {
            assertNotEquals("Secret", o.path("kind").asText(), "no Secret with values in the manifests");
        }
        JsonNode deployment = only(objects(), "Deployment");
        JsonNode container = container();
        Map<String, String> secretFiles = new LinkedHashMap<>(); // mounted path → Secret key
        for (JsonNode volume : deployment.path("spec").path("template").path("spec").path("volumes")) {
            if (volume.has("secret")) {
                assertEquals("cursor-exporter", volume.path("secret").path("secretName").asText());
                for (JsonNode mount : container.path("volumeMounts")) {
                    if (mount.path("name").asText().equals(volume.path("name").asText())) {
                        assertTrue(mount.path("readOnly").asBoolean(), "secret mounts are read-only");
                        for (JsonNode item : volume.path("secret").path("items")) {
                            secretFiles.put(mount.path("mountPath").asText() + "/" + item.path("path").asText(),
                                    item.path("key").asText());
                        }
                    }
                }
            }
        }
        Pattern secretish = Pattern.compile("(KEY|TOKEN|PASSWORD|SECRET|SALT)(_FILE)?$");
        Set<String> secretVariables = new HashSet<>();
        for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            if (!secretish.matcher(name).find()) {
                continue;
            }
            secretVariables.add(name);
            if (name.endsWith("_FILE")) {
                assertTrue(secretFiles.containsKey(env.path("value").asText()),
                        name + " must name a file of the mounted Secret, not " + env.path("value"));
            } else {
                assertFalse(env.has("value"), name + " must not be a literal value");
                assertEquals("cursor-exporter", env.path("valueFrom").path("secretKeyRef").path("name").asText(), name);
            }
        }
        assertEquals(Set.of("CURSOR_API_KEY_FILE", "CURSOR_EXPORTER_AUTH_TOKEN_FILE", "CURSOR_EXPORTER_OTLP_TOKEN"),
                secretVariables);
        assertTrue(container.path("envFrom").isMissingNode(), "every variable named, none taken wholesale");
        // the ServiceMonitor sends the very token the exporter checks
        JsonNode credentials = only(objects(), "ServiceMonitor").path("spec").path("endpoints").get(0)
                .path("authorization").path("credentials");
        assertEquals("cursor-exporter", credentials.path("name").asText());
        assertEquals(secretFiles.get(value(container, "CURSOR_EXPORTER_AUTH_TOKEN_FILE")), credentials.path("key").asText());
    }

    @Test
    void thePodRunsAsTheDockerfilesUserWithAReadOnlyRoot() {
        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(KubernetesManifests.read(Path.of("Dockerfile")));
        assertTrue(user.find(), "the Dockerfile's USER uid:gid");
        JsonNode pod = only(objects(), "Deployment").path("spec").path("template").path("spec").path("securityContext");
        assertEquals(Integer.parseInt(user.group(1)), pod.path("runAsUser").asInt());
        assertEquals(Integer.parseInt(user.group(2)), pod.path("runAsGroup").asInt());
        assertEquals(Integer.parseInt(user.group(2)), pod.path("fsGroup").asInt(), "the volume writable by its group");
        assertTrue(pod.path("runAsNonRoot").asBoolean());
        JsonNode container = container().path("securityContext");
        assertTrue(container.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(container.path("allowPrivilegeEscalation").asBoolean(true));
        Map<String, String> mounts = new LinkedHashMap<>();
        container().path("volumeMounts").forEach(m -> mounts.put(m.path("mountPath").asText(), m.path("name").asText()));
        assertEquals("data", mounts.get(value(container(), "CURSOR_EXPORTER_DATA_DIR")), "the data dir is the volume");
        assertTrue(mounts.containsKey("/tmp"), "a writable /tmp for the JVM and SQLite's native library");
        assertEquals("256Mi", container().path("resources").path("limits").path("memory").asText(),
                "the 256 MiB container the image's JVM flags are sized for");
    }

    @Test
    void oneReplicaOnOneVolumeRecreatedNotRolled() {
        JsonNode deployment = only(objects(), "Deployment");
        assertEquals(1, deployment.path("spec").path("replicas").asInt(), "SQLite: one process per data directory");
        assertEquals("Recreate", deployment.path("spec").path("strategy").path("type").asText());
        JsonNode claim = only(objects(), "PersistentVolumeClaim");
        assertEquals(List.of("ReadWriteOnce"), List.of(claim.path("spec").path("accessModes").get(0).asText()));
        boolean claimed = false;
        for (JsonNode v : deployment.path("spec").path("template").path("spec").path("volumes")) {
            claimed |= v.path("persistentVolumeClaim").path("claimName").asText().equals(claim.path("metadata").path("name").asText());
        }
        assertTrue(claimed, "the data volume is the PVC");
        JsonNode pdb = only(objects(), "PodDisruptionBudget").path("spec");
        assertEquals(1, pdb.path("maxUnavailable").asInt(), "one replica: a drain must be able to evict it");
        assertTrue(selects(pdb.path("selector").path("matchLabels"), podLabels()));
        assertTrue(selects(deployment.path("spec").path("selector").path("matchLabels"), podLabels()));
        assertTrue(deployment.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asInt() >= 15,
                "SIGTERM takes up to about 10 s (README Lifecycle)");
    }

    @Test
    void theServiceReachesTheContainersPortsAndTheServiceMonitorSelectsIt() {
        JsonNode service = only(objects(), "Service");
        JsonNode container = container();
        assertTrue(selects(service.path("spec").path("selector"), podLabels()), "the Service selects the pod");
        Set<String> servicePortNames = new TreeSet<>();
        for (JsonNode port : service.path("spec").path("ports")) {
            assertFalse(port.path("name").asText().isEmpty(), "every Service port is named");
            servicePortNames.add(port.path("name").asText());
            Set<Integer> target = containerPorts(container, port.path("targetPort"));
            assertEquals(1, target.size(), port + " must reach a port of the container");
        }
        Set<Integer> exposed = new TreeSet<>();
        Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(KubernetesManifests.read(Path.of("Dockerfile")));
        assertTrue(expose.find());
        for (String p : expose.group(1).trim().split("\\s+")) {
            exposed.add(Integer.parseInt(p));
        }
        Set<Integer> inContainer = new TreeSet<>();
        container.path("ports").forEach(p -> inContainer.add(p.path("containerPort").asInt()));
        assertEquals(exposed, inContainer, "the container declares the Dockerfile's ports");
        assertEquals(Integer.parseInt(value(container, "CURSOR_EXPORTER_PORT")), containerPorts(container, TextNode.valueOf("http")).iterator().next(), "port http is the exporter's port");

        JsonNode monitor = only(objects(), "ServiceMonitor").path("spec");
        assertTrue(selects(monitor.path("selector").path("matchLabels"), service.path("metadata").path("labels")),
                "the ServiceMonitor selects the Service's labels");
        for (JsonNode endpoint : monitor.path("endpoints")) {
            assertTrue(servicePortNames.contains(endpoint.path("port").asText()), endpoint + " names a Service port");
            assertEquals("/metrics", endpoint.path("path").asText());
        }
        Matcher job = Pattern.compile("up\\{job=\"([^\"]+)\"}").matcher(KubernetesManifests.read(KubernetesManifests.ALERTS));
        assertTrue(job.find());
        assertEquals(job.group(1), service.path("metadata").path("name").asText(),
                "the ServiceMonitor's job label is the Service's name, which CursorExporterDown asks for");
        assertTrue(monitor.path("jobLabel").isMissingNode());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static JsonNode container() {
        JsonNode containers = only(objects(), "Deployment").path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    private static JsonNode podLabels() {
        return only(objects(), "Deployment").path("spec").path("template").path("metadata").path("labels");
    }

    static boolean selects(JsonNode matchLabels, JsonNode labels) {
        if (matchLabels.size() == 0) {
            return false;
        }
        for (var it = matchLabels.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().equals(labels.path(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The container port numbers that {@code port} (a number or a port name) names. */
    static Set<Integer> containerPorts(JsonNode container, JsonNode port) {
        Set<Integer> out = new TreeSet<>();
        for (JsonNode p : container.path("ports")) {
            if (port.isInt() ? p.path("containerPort").asInt() == port.asInt() : p.path("name").asText().equals(port.asText())) {
                out.add(p.path("containerPort").asInt());
            }
        }
        return out;
    }

    private static String value(JsonNode container, String variable) {
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals(variable)) {
                return env.path("value").asText();
            }
        }
        throw new AssertionError(variable + " is not set in the container");
    }

    private static List<String> names(List<JsonNode> objects) {
        List<String> out = new ArrayList<>();
        objects.forEach(o -> out.add(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText()));
        return out.stream().sorted().toList();
    }

    /** Runs the npm validator (src/test/kubernetes/validate.mjs) on the objects. */
    static RealTools.Result validate(List<JsonNode> objects) {
        Path node = require("node", "nodejs");
        if (!Files.isDirectory(VALIDATOR.resolve("node_modules/kubernetes-models"))) {
            skipOrFail("the schema validator is not installed: (cd " + VALIDATOR + " && npm ci)");
        }
        try {
            Process p = new ProcessBuilder(node.toString(), "validate.mjs").directory(VALIDATOR.toFile())
                    .redirectErrorStream(true).start();
            p.getOutputStream().write(KubernetesManifests.json(objects).getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Assertions.fail("the validator did not finish in 120 s");
            }
            return new RealTools.Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path require(String tool, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool);
            }
        }
        skipOrFail(tool + " is not installed (Debian package " + debianPackage + ")");
        throw new AssertionError("unreachable");
    }

    /** Absent locally: skipped. Absent in CI (CI=true), where .ci/run installs it: failed. */
    private static void skipOrFail(String why) {
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(why + "; CI=true requires it (.ci/run installs it)");
        }
        Assumptions.abort(why);
    }
}
