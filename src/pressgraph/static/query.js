// The SPARQL editor's niceties: load canned queries, run with fetch, draw the table.
// Without this file the form still works: it is sent to /query and the server answers with HTML.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var area = document.getElementById("query");
  var select = document.getElementById("canned");
  var out = document.getElementById("results");
  var data = document.getElementById("canned-queries");
  if (!form || !area || !out) { return; }
  var canned = data ? JSON.parse(data.textContent) : {};
  var base = form.getAttribute("data-base") || "";
  var prefixNode = document.getElementById("prefixes");
  var prefixes = prefixNode ? JSON.parse(prefixNode.textContent) : {};

  function curie(iri) {
    var best = null;
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (iri.indexOf(ns) === 0 && (!best || ns.length > prefixes[best].length)) { best = p; }
    });
    return best ? best + ":" + iri.slice(prefixes[best].length) : iri;
  }

  if (select) {
    select.addEventListener("change", function () {
      var q = canned[select.value];
      if (q) { area.value = q.text; }
    });
  }
  area.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      run();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function cell(term) {
    var td = el("td");
    if (!term) { td.appendChild(el("span", "—", "unbound")); return td; }
    if (term.type === "uri") {
      var a = el("a", curie(term.value), "iri");
      a.title = term.value;
      a.href = base && term.value.indexOf(base) === 0 ? "/" + term.value.slice(base.length) : term.value;
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.appendChild(el("span", "_:" + term.value, "bnode"));
    } else {
      td.appendChild(el("span", term.value, "literal"));
      if (term["xml:lang"]) { td.appendChild(el("small", " @" + term["xml:lang"], "lang")); }
      else if (term.datatype) { td.appendChild(el("small", " " + term.datatype.replace("http://www.w3.org/2001/XMLSchema#", "xsd:"), "datatype")); }
    }
    return td;
  }

  function showProblem(problem) {
    var box = el("div", null, "problem");
    box.setAttribute("role", "alert");
    var where = problem.line ? " (line " + problem.line + (problem.column ? ", column " + problem.column : "") + ")" : "";
    box.appendChild(el("p", "Error: " + (problem.detail || problem.title) + where));
    out.replaceChildren(box);
  }

  function showResults(doc, ms) {
    var parts = [];
    if (typeof doc.boolean === "boolean") {
      parts.push(el("p", "Answer: " + (doc.boolean ? "yes (true)" : "no (false)"), "boolean"));
      out.replaceChildren.apply(out, parts);
      return;
    }
    var vars = doc.head.vars || [];
    var rows = doc.results.bindings || [];
    parts.push(el("p", rows.length + " result" + (rows.length === 1 ? "" : "s") + " in " + ms + " ms", "count"));
    var wrap = el("div", null, "scroll");
    var table = el("table", null, "results");
    var head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", v)); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    rows.forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      body.appendChild(tr);
    });
    table.appendChild(body); wrap.appendChild(table); parts.push(wrap);
    out.replaceChildren.apply(out, parts);
  }

  function run() {
    var started = Date.now();
    out.replaceChildren(el("p", "Running…", "count"));
    fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: "query=" + encodeURIComponent(area.value)
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok) { return response.json().then(showProblem); }
      if (type.indexOf("json") >= 0) {
        return response.json().then(function (doc) { showResults(doc, Date.now() - started); });
      }
      return response.text().then(function (text) { out.replaceChildren(el("pre", text, "sparql")); });
    }).catch(function (error) { showProblem({ detail: String(error) }); });
  }
})();
