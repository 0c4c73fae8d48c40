// Validates Kubernetes objects against the schemas generated from Kubernetes' OpenAPI spec (kubernetes-models) and
// prometheus-operator's CRDs (@kubernetes-models/prometheus-operator): types, formats, enums and required fields.
// Input: a JSON array of objects on stdin (KubernetesManifestsTest converts the YAML). Output: one line per object.
// Exit 0 when every object is valid, 1 when one is not, 2 for a kind without a schema here (never passed silently).
const input = await new Promise((resolve, reject) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
  process.stdin.on("error", reject);
});

function modulePath(apiVersion, kind) {
  if (apiVersion.startsWith("monitoring.coreos.com/")) {
    return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  }
  return `kubernetes-models/${apiVersion}/${kind}`;
}

let status = 0;
for (const object of JSON.parse(input)) {
  const name = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  let Model;
  try {
    Model = (await import(modulePath(object.apiVersion, object.kind)))[object.kind];
  } catch (e) {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    console.log(`no schema: ${name}`);
    status = Math.max(status, 2);
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`valid: ${name}`);
  } catch (e) {
    console.log(`invalid: ${name}: ${e.message}`);
    status = Math.max(status, 1);
  }
}
process.exit(status);
