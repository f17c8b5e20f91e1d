// Security keys (WebAuthn) on the Account security page: register a key, or verify this session
// with one. The server's API does every check (accounts.security_keys); this only carries bytes.
(function () {
  "use strict";
  function toBytes(b64u) {
    var s = b64u.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var raw = atob(s), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out.buffer;
  }
  function toB64u(buf) {
    var bytes = new Uint8Array(buf), s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function call(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
      body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw j; return j; });
    });
  }
  function say(box, err) {
    var lang = document.documentElement.lang === "en" ? "en" : "vi";
    box.textContent = err && err.messages ? err.messages[lang] : box.dataset.failed;
  }
  function register(box, api) {
    return call(api + "/options").then(function (r) {
      var o = r.options;
      o.challenge = toBytes(o.challenge);
      o.user.id = toBytes(o.user.id);
      (o.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
      return navigator.credentials.create({publicKey: o});
    }).then(function (cred) {
      var name = document.getElementById("key-name");
      return call(api, {name: name ? name.value : "", credential: {
        id: cred.id, rawId: toB64u(cred.rawId), type: cred.type,
        response: {
          clientDataJSON: toB64u(cred.response.clientDataJSON),
          attestationObject: toB64u(cred.response.attestationObject)
        }
      }});
    });
  }
  function verify(box, api) {
    return call(api + "/challenge").then(function (r) {
      var o = r.options;
      o.challenge = toBytes(o.challenge);
      (o.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
      return navigator.credentials.get({publicKey: o});
    }).then(function (cred) {
      return call(api + "/verify", {credential: {
        id: cred.id, rawId: toB64u(cred.rawId), type: cred.type,
        response: {
          clientDataJSON: toB64u(cred.response.clientDataJSON),
          authenticatorData: toB64u(cred.response.authenticatorData),
          signature: toB64u(cred.response.signature),
          userHandle: cred.response.userHandle ? toB64u(cred.response.userHandle) : null
        }
      }});
    });
  }
  document.querySelectorAll("[data-webauthn]").forEach(function (button) {
    button.hidden = !window.PublicKeyCredential;
    button.addEventListener("click", function () {
      var box = document.getElementById("key-status");
      var run = button.dataset.webauthn === "register" ? register : verify;
      run(box, button.dataset.api).then(function () {
        window.location.reload();
      }, function (err) { say(box, err); });
    });
  });
})();
