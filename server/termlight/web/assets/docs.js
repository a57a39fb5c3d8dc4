"use strict";
// Renders /openapi.json as a readable page with DOM calls (text only, no HTML parsing),
// so the docs can never drift from what the server really accepts. Descriptions may hold
// `code` in backticks, the only markup they use; examples and curl commands name this
// server's own address.

(() => {
  const { $, el } = termlightDom;
  const METHODS = ["get", "post", "put", "patch", "delete"];
  const ORIGIN = window.location.origin;

  // Text with `code` spans, as nodes: backticks become <code>, everything stays text.
  function prose(tag, className, text) {
    const node = el(tag, className);
    String(text || "").split("`").forEach((part, i) => {
      if (part) node.append(i % 2 ? el("code", null, part) : document.createTextNode(part));
    });
    return node;
  }

  function schemaLink(name) {
    const link = el("a", null, name);
    link.href = `#schema-${name}`;
    return link;
  }

  // A schema's type as a short phrase, with links to named schemas.
  function typeNodes(schema) {
    if (!schema) return [];
    if (schema.$ref) return [schemaLink(schema.$ref.split("/").pop())];
    if (schema.oneOf) {
      return schema.oneOf.flatMap((s, i) => (i ? [" or ", ...typeNodes(s)] : typeNodes(s)));
    }
    if ("const" in schema) return [el("code", null, JSON.stringify(schema.const))];
    if (schema.enum) {
      return ["one of ", ...schema.enum.flatMap((v, i) => [i ? ", " : "", el("code", null, JSON.stringify(v))])];
    }
    const types = [].concat(schema.type || "any");
    if (types.includes("array")) return ["array of ", ...typeNodes(schema.items || {})];
    if (types.includes("object") && schema.additionalProperties && typeof schema.additionalProperties === "object") {
      return ["object of ", ...typeNodes(schema.additionalProperties), " by key"];
    }
    return [types.join(" or ")];
  }

  function limits(schema) {
    const out = [];
    if (!schema) return out;
    if (schema.maxItems !== undefined) out.push(`at most ${schema.maxItems} items`);
    if (schema.minItems !== undefined) out.push(`at least ${schema.minItems} item${schema.minItems === 1 ? "" : "s"}`);
    if (schema.minimum !== undefined) out.push(`≥ ${schema.minimum}`);
    if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
    return out;
  }

  function table(headings, rows) {
    const t = el("table", "fields");
    const head = el("tr");
    for (const h of headings) head.append(el("th", null, h));
    t.append(el("thead"), el("tbody"));
    t.tHead.append(head);
    for (const cells of rows) {
      const tr = el("tr");
      for (const cell of cells) {
        const td = el("td");
        td.append(...[].concat(cell));
        tr.append(td);
      }
      t.tBodies[0].append(tr);
    }
    return t;
  }

  function jsonBlock(value) {
    return el("pre", "example", JSON.stringify(value, null, 2));
  }

  // A shell-quoted argument: single quotes, with any ' closed, escaped and reopened.
  function shellQuote(text) {
    return `'${String(text).replace(/'/g, "'\\''")}'`;
  }

  function curlFor(path, method, op, body) {
    const lines = [`curl -s${method === "get" ? "" : " -X " + method.toUpperCase()} ${shellQuote(ORIGIN + path)}`];
    if (op.security) lines.push(`-H 'Authorization: Bearer TOKEN'`);
    if (body !== undefined) {
      lines.push("-H 'Content-Type: application/json'", `-d ${shellQuote(JSON.stringify(body))}`);
    }
    return el("pre", "curl", lines.join(" \\\n     "));
  }

  function exampleUrl(path, op) {
    if (path.includes("{term_id}")) return path.replace("{term_id}", "lora");
    if ((op.parameters || []).some((p) => p.name === "q")) return `${path}?q=lora`;
    return path;
  }

  function route(path, method, op) {
    const box = el("article", "route");
    box.id = `route-${method}-${path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "")}`;
    const title = el("h3", "route-title");
    title.append(el("span", `method method-${method}`, method.toUpperCase()), " ", el("code", null, path));
    box.append(title, prose("p", null, op.summary));
    if (op.security) box.append(prose("p", "note", "Needs `Authorization: Bearer <token>`."));
    const params = (op.parameters || []).filter((p) => p.in !== "header" || p.required);
    if (params.length) {
      box.append(el("h4", null, "Parameters"), table(["name", "in", "type", "meaning"], params.map((p) => [
        el("code", null, p.name), p.in + (p.required ? ", required" : ""), typeNodes(p.schema),
        prose("span", null, p.description || ""),
      ])));
    }
    let sample;
    const body = op.requestBody && op.requestBody.content;
    for (const [type, media] of Object.entries(body || {})) {
      const line = el("p");
      line.append(el("code", null, type), ": ", ...typeNodes(media.schema));
      box.append(el("h4", null, "Body"), line);
      for (const example of Object.values(media.examples || {})) {
        if (sample === undefined) sample = example.value;
        box.append(prose("p", "example-title", `Example: ${example.summary || ""}`), jsonBlock(example.value));
      }
    }
    const answersJson = Boolean(((op.responses || {})["200"] || {}).content?.["application/json"]);
    // Editor routes change the team glossary: described, with no "Try it" to paste.
    const editorOnly = Boolean(op["x-role"]) && op["x-role"] !== "reader";
    if (op["x-role"]) box.append(prose("p", "note", `Role: ${op["x-role"]}.`));
    if (answersJson && !editorOnly && (method === "get" || sample !== undefined)) {
      box.append(el("h4", null, "Try it"), curlFor(exampleUrl(path, op), method, op, sample));
    }
    const responses = el("ul", "responses");
    for (const [status, resp] of Object.entries(op.responses || {})) {
      const li = el("li");
      li.append(el("code", null, status), " ", prose("span", null, resp.description || ""));
      for (const [type, media] of Object.entries(resp.content || {})) {
        li.append(" — ", el("code", null, type), media.schema ? " " : "", ...typeNodes(media.schema));
        if (media.example !== undefined) {
          const more = el("details", "example");
          more.append(el("summary", null, "Example"), jsonBlock(media.example));
          li.append(more);
        }
      }
      responses.append(li);
    }
    box.append(el("h4", null, "Responses"), responses);
    return box;
  }

  function schemaSection(name, schema) {
    const out = [];
    const h = el("h3", null, name);
    h.id = `schema-${name}`;
    out.push(h);
    if (schema.description) out.push(prose("p", null, schema.description));
    const required = new Set(schema.required || []);
    const props = Object.entries(schema.properties || {});
    if (props.length) {
      out.push(table(["field", "type", "meaning"], props.map(([field, s]) => [
        [el("code", null, field), required.has(field) ? " (always)" : " (optional)"],
        [...typeNodes(s), ...limits(s).map((l) => `; ${l}`)],
        prose("span", null, s.description || ""),
      ])));
    }
    if (schema.additionalProperties === false) out.push(el("p", "note", "No other fields."));
    return out;
  }

  function render(doc) {
    const routes = [];
    for (const [path, item] of Object.entries(doc.paths || {})) {
      for (const method of METHODS) if (item[method]) routes.push(route(path, method, item[method]));
    }
    $("routes").replaceChildren(...routes);

    const problems = [];
    const byStatus = Object.entries(doc["x-problem-types"] || {}).sort((a, b) => a[1].status - b[1].status);
    for (const [uri, p] of byStatus) {
      const dt = el("dt", null, `${p.status} ${p.title}`);
      dt.id = uri.split("#").pop();
      dt.append(" ", el("code", null, uri));
      problems.push(dt, prose("dd", null, p.when));
    }
    $("problems").replaceChildren(...problems);

    const schemas = [];
    for (const [name, schema] of Object.entries((doc.components || {}).schemas || {})) {
      schemas.push(...schemaSection(name, schema));
    }
    $("schemas").replaceChildren(...schemas);
    $("docs-status").textContent = `${doc.info.title} ${doc.info.version}, OpenAPI ${doc.openapi}.`;
    if (window.location.hash) {
      const target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      if (target) target.scrollIntoView();
    }
  }

  $("intro-curl").textContent = [
    `curl -s ${ORIGIN}/v1/match`,
    "-H 'Content-Type: application/json'",
    `-d '{"text": "We fine-tuned an LLM with LoRA."}'`,
  ].join(" \\\n     ");

  fetch("/openapi.json", { headers: { Accept: "application/json" } })
    .then((resp) => (resp.ok ? resp.json() : Promise.reject(new Error(resp.statusText))))
    .then(render)
    .catch((err) => {
      const status = $("docs-status");
      status.textContent = `Could not load the OpenAPI document: ${err.message}`;
      status.classList.add("error");
    });
})();
