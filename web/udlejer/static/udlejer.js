// Udlejersøgning: a client of the public /graphql endpoint and the
// /export/residents.* downloads. The key (API key or JWT) is kept in
// sessionStorage only and sent as "Authorization: Bearer <key>".
"use strict";

(function () {
  const KEY = "cprgraph.udlejer.noegle";
  const $ = (id) => document.getElementById(id);
  let lastInput = null;

  // Danish messages for the error codes of the residents query and the
  // exports; a BAD_USER_INPUT is told apart by the server's message.
  function danishError(code, message) {
    message = message || "";
    switch (code) {
      case "UNAUTHENTICATED":
        return "Nøglen blev ikke godkendt. Log ind igen med en gyldig API-nøgle eller JWT.";
      case "FORBIDDEN":
        return "Ingen adgang: din klient har ikke adgang til udlejersøgning.";
      case "OWNER_NOT_LINKED":
        return "Ejeren er ikke knyttet til din organisation. Kontakt CPR for at få CVR-nr/CPR-nr tilknyttet.";
      case "NOT_CURRENT_OWNER":
        return "Ejeren er ikke aktuel ejer af ejendommen (BFE) med den angivne adresse i Ejerfortegnelsen.";
      case "NOT_FOUND":
        return "Adressen findes ikke. Kontroller kommune, vej, husnummer, etage og dør eller DAR id.";
      case "RATE_LIMITED":
      case "QUOTA_EXCEEDED":
        return "For mange opslag. Vent lidt, og prøv igen.";
      case "BAD_USER_INPUT":
        if (/months back/.test(message)) {
          return "Perioden er for lang: fra dato må højst ligge 12 måneder tilbage.";
        }
        if (/after today/.test(message)) return "Til dato må ikke ligge efter i dag.";
        if (/ends before it starts/.test(message)) return "Til dato ligger før fra dato.";
        if (/several properties/.test(message)) {
          return "Opgangen hører til flere ejendomme (BFE). Søg på én bolig ad gangen (med etage og dør).";
        }
        if (/exactly one of/.test(message)) return "Udfyld præcis én af adresserne.";
        if (/UUID/.test(message)) return "DAR id skal være et UUID, fx 0a3f507a-5a66-32b8-e044-0003ba298018.";
        if (/street/.test(message)) return "Angiv vejnavn.";
        if (/house number/.test(message)) return "Angiv husnummer.";
        if (/owner/.test(message)) return "Ejer skal være et CVR-nr (8 cifre) eller CPR-nr (10 cifre).";
        return "Søgningen er ikke gyldig: " + message;
      default:
        return "Der opstod en fejl hos tjenesten. Prøv igen senere.";
    }
  }

  class ApiError extends Error {
    constructor(code, message) {
      super(danishError(code, message));
      this.code = code;
    }
  }

  function headers() {
    return { Authorization: "Bearer " + sessionStorage.getItem(KEY) };
  }

  async function graphql(query, variables) {
    let resp;
    try {
      resp = await fetch("/graphql", {
        method: "POST",
        headers: Object.assign({ "Content-Type": "application/json", Accept: "application/json" }, headers()),
        body: JSON.stringify({ query: query, variables: variables || {} }),
      });
    } catch (e) {
      throw new ApiError("NETWORK", "");
    }
    let body = null;
    try { body = await resp.json(); } catch (e) { /* below */ }
    if (body && body.errors && body.errors.length) {
      const e = body.errors[0];
      throw new ApiError((e.extensions && e.extensions.code) || "", e.message);
    }
    if (!resp.ok || !body) throw new ApiError(resp.status === 401 ? "UNAUTHENTICATED" : "", "");
    return body.data;
  }

  function show(el, on) { el.hidden = !on; }

  function message(text, ok) {
    const el = $("besked");
    el.textContent = text;
    el.classList.toggle("ok", !!ok);
    show(el, !!text);
  }

  function danishDate(iso) {
    if (!iso) return "";
    const p = iso.split("-");
    return p[2] + "." + p[1] + "." + p[0];
  }

  function isoDate(d) {
    const pad = (n) => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  // ---- sign-in ----

  async function signIn() {
    const data = await graphql("query Viewer { viewer { clientName organisationName profile ownerNumbers } }");
    const v = data.viewer;
    if (v.profile !== "LANDLORD") {
      throw new ApiError("FORBIDDEN", "");
    }
    if (!v.ownerNumbers.length) {
      throw new ApiError("OWNER_NOT_LINKED", "");
    }
    const ejer = $("ejer");
    ejer.replaceChildren();
    for (const n of v.ownerNumbers) {
      const o = document.createElement("option");
      o.value = n;
      o.textContent = (n.length === 8 ? "CVR-nr " : "CPR-nr ") + n;
      ejer.append(o);
    }
    $("bruger").textContent = (v.organisationName || "") + " · " + v.clientName;
    show($("bruger"), true);
    show($("logud"), true);
    show($("login"), false);
    show($("soeg"), true);
    ejer.focus();
  }

  function signOut(text) {
    sessionStorage.removeItem(KEY);
    show($("soeg"), false);
    show($("resultat"), false);
    show($("bruger"), false);
    show($("logud"), false);
    show($("login"), true);
    $("noegle").value = "";
    message(text || "");
    $("noegle").focus();
  }

  // ---- the search form ----

  async function loadMunicipalities() {
    const resp = await fetch("kommuner.json");
    const list = await resp.json();
    const sel = $("kommune");
    for (const m of list) {
      const o = document.createElement("option");
      o.value = String(m.code);
      o.textContent = String(m.code).padStart(4, "0") + " " + m.name;
      if (m.code === 101) o.selected = true;
      sel.append(o);
    }
  }

  let streetTimer = 0;
  function suggestStreets() {
    clearTimeout(streetTimer);
    const prefix = $("vej").value.trim();
    if (!prefix) return;
    streetTimer = setTimeout(async function () {
      try {
        const data = await graphql(
          "query Streets($m: Int!, $p: String!) { streets(municipalityCode: $m, prefix: $p, first: 20) { code name } }",
          { m: Number($("kommune").value), p: prefix });
        const list = $("veje");
        list.replaceChildren();
        for (const s of data.streets) {
          const o = document.createElement("option");
          o.value = s.name;
          o.label = s.name + " (vejkode " + s.code + ")";
          list.append(o);
        }
      } catch (e) { /* suggestions are optional */ }
    }, 200);
  }

  function addressType() {
    return document.querySelector("input[name=adressetype]:checked").value;
  }

  function switchAddress() {
    const t = addressType();
    show($("cpr-adresse"), t === "cpr");
    show($("vej-hjaelp"), t === "cpr");
    show($("dar-adresse"), t === "dar");
    show($("dar-husnr"), t === "husnr");
  }

  // input builds the ResidentsInput, or throws a Danish message.
  function input() {
    const inp = { owner: $("ejer").value, from: $("fra").value };
    if (!inp.from) throw new Error("Angiv fra dato.");
    if ($("til").value) inp.to = $("til").value;
    const limit = new Date();
    limit.setFullYear(limit.getFullYear() - 1);
    if (inp.from < isoDate(limit)) throw new Error(danishError("BAD_USER_INPUT", "months back"));
    switch (addressType()) {
      case "dar":
        if (!$("darid").value.trim()) throw new Error("Angiv DAR adresse id.");
        inp.darAddressId = $("darid").value.trim();
        break;
      case "husnr":
        if (!$("husnrid").value.trim()) throw new Error("Angiv DAR husnummer id.");
        inp.darHouseNumberId = $("husnrid").value.trim();
        break;
      default: {
        const a = { municipalityCode: Number($("kommune").value), streetName: $("vej").value.trim(), houseNumber: $("husnr").value.trim() };
        if (!a.streetName) throw new Error("Angiv vej.");
        if (!a.houseNumber) throw new Error("Angiv husnummer.");
        if ($("etage").value.trim()) a.floor = $("etage").value.trim();
        if ($("doer").value.trim()) a.door = $("doer").value.trim();
        inp.cprAddress = a;
      }
    }
    return inp;
  }

  const RESIDENTS = "query Residents($input: ResidentsInput!) { residents(input: $input) {" +
    " criteria { owner bfe ownedFrom from to darAddressIds darHouseNumberId leftOut { darAddressId reason } }" +
    " rows { address addressingName moveIn moveOut protected } } }";

  async function search(ev) {
    ev.preventDefault();
    message("");
    let inp;
    try {
      inp = input();
    } catch (e) {
      message(e.message);
      $("besked").focus();
      return;
    }
    $("soeg-knap").disabled = true;
    try {
      const data = await graphql(RESIDENTS, { input: inp });
      lastInput = inp;
      render(data.residents);
    } catch (e) {
      show($("resultat"), false);
      if (e.code === "UNAUTHENTICATED") {
        signOut(e.message);
        return;
      }
      message(e.message);
    } finally {
      $("soeg-knap").disabled = false;
    }
  }

  function render(res) {
    const c = res.criteria;
    const dl = $("kriterier");
    dl.replaceChildren();
    const item = (k, v) => {
      const dt = document.createElement("dt");
      dt.textContent = k;
      const dd = document.createElement("dd");
      dd.textContent = v;
      dl.append(dt, dd);
    };
    item(c.owner.length === 8 ? "CVR-nr" : "CPR-nr", c.owner);
    item("BFE-nr", String(c.bfe));
    item("Ejet fra", danishDate(c.ownedFrom));
    item("Fra dato", danishDate(c.from));
    item("Til dato", danishDate(c.to));
    if (c.darAddressIds.length === 1) {
      item("DAR adresse id", c.darAddressIds[0]);
    } else {
      item("DAR husnummer id", c.darHouseNumberId);
    }
    if (c.leftOut.length > 0) {
      // A stairwell over several properties: the dwellings the owner does
      // not own now were left out.
      const why = { NOT_CURRENT_OWNER: "ejes ikke af ejeren", NO_PROPERTY: "ingen ejendom registreret" };
      item("Udeladte boliger", c.leftOut.map((l) => l.darAddressId + " (" + (why[l.reason] || l.reason) + ")").join(", "));
    }
    const tbody = document.querySelector("#beboere tbody");
    tbody.replaceChildren();
    for (const r of res.rows) {
      const tr = document.createElement("tr");
      for (const v of [r.address || "", r.addressingName || "", danishDate(r.moveIn), danishDate(r.moveOut), r.protected ? "Ja" : "Nej"]) {
        const td = document.createElement("td");
        td.textContent = v;
        tr.append(td);
      }
      tbody.append(tr);
    }
    $("antal").textContent = res.rows.length === 1 ? "1 beboer" : res.rows.length + " beboere";
    show($("resultat"), true);
    $("resultat-titel").focus();
  }

  // ---- downloads ----

  function exportParams(inp) {
    const p = new URLSearchParams();
    for (const k of ["owner", "from", "to", "darAddressId", "darHouseNumberId"]) {
      if (inp[k]) p.set(k, inp[k]);
    }
    if (inp.cprAddress) {
      for (const [k, v] of Object.entries(inp.cprAddress)) p.set(k, String(v));
    }
    return p;
  }

  async function download(format) {
    if (!lastInput) return;
    message("");
    try {
      const resp = await fetch("/export/residents." + format + "?" + exportParams(lastInput), { headers: headers() });
      if (!resp.ok) {
        let code = "";
        let msg = "";
        try {
          const body = await resp.json();
          code = body.errors[0].extensions.code;
          msg = body.errors[0].message;
        } catch (e) { /* generic */ }
        throw new ApiError(code, msg);
      }
      const blob = await resp.blob();
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "beboere." + format;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      message("Filen beboere." + format + " er hentet.", true);
    } catch (e) {
      message(e.message);
    }
  }

  // ---- start ----

  document.addEventListener("DOMContentLoaded", function () {
    const today = new Date();
    const from = new Date();
    from.setFullYear(from.getFullYear() - 1);
    from.setDate(from.getDate() + 1);
    $("fra").value = isoDate(from);
    $("til").value = isoDate(today);
    $("fra").min = isoDate(from);
    $("til").max = isoDate(today);

    $("login-form").addEventListener("submit", async function (ev) {
      ev.preventDefault();
      const key = $("noegle").value.trim();
      if (!key) {
        message("Angiv en API-nøgle eller JWT.");
        $("noegle").focus();
        return;
      }
      sessionStorage.setItem(KEY, key);
      message("");
      try {
        await signIn();
      } catch (e) {
        signOut(e.message);
      }
    });
    $("logud").addEventListener("click", () => signOut("Du er logget ud."));
    $("soeg-form").addEventListener("submit", search);
    $("vej").addEventListener("input", suggestStreets);
    for (const r of document.querySelectorAll("input[name=adressetype]")) r.addEventListener("change", switchAddress);
    for (const b of document.querySelectorAll(".downloads button")) {
      b.addEventListener("click", () => download(b.dataset.format));
    }
    $("besked").tabIndex = -1;
    loadMunicipalities().catch(() => message("Kommunelisten kunne ikke hentes."));
    switchAddress();
    if (sessionStorage.getItem(KEY)) {
      signIn().catch((e) => signOut(e.message));
    } else {
      $("noegle").focus();
    }
  });
})();
