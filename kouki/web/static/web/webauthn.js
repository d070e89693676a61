/* WebAuthn on the staff screens (issue 14 §5): navigator.credentials.create() / get() with the options the
   server put in the page (<script type="application/json">, not executed), the answer sent back as JSON
   (base64url, the PublicKeyCredential.toJSON form) in a hidden field of the same form. No inline script,
   no library, nothing from another site: works under a Content-Security-Policy of script-src 'self'.

   Markup: <button type="button" data-webauthn="create|get" data-options="ID-of-json"
                   data-output="ID-of-hidden-input" data-status="ID-of-status"
                   [data-require="ID-of-input-to-fill-first"] [data-submit]> */
(function () {
  "use strict";

  function toBytes(b64url) {
    var b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var raw = window.atob(b64);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out.buffer;
  }

  function toB64url(buffer) {
    if (!buffer) { return null; }
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return window.btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (d) {
      var copy = { type: d.type, id: toBytes(d.id) };
      if (d.transports) { copy.transports = d.transports; }
      return copy;
    });
  }

  function creationOptions(o) {
    var copy = Object.assign({}, o);
    copy.challenge = toBytes(o.challenge);
    copy.user = Object.assign({}, o.user, { id: toBytes(o.user.id) });
    copy.excludeCredentials = descriptors(o.excludeCredentials);
    return copy;
  }

  function requestOptions(o) {
    var copy = Object.assign({}, o);
    copy.challenge = toBytes(o.challenge);
    copy.allowCredentials = descriptors(o.allowCredentials);
    return copy;
  }

  function asJSON(cred) {
    var r = cred.response;
    var response = { clientDataJSON: toB64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64url(r.attestationObject);
      response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
    } else {
      response.authenticatorData = toB64url(r.authenticatorData);
      response.signature = toB64url(r.signature);
      response.userHandle = toB64url(r.userHandle);
    }
    return {
      id: cred.id, rawId: toB64url(cred.rawId), type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment || null,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: response
    };
  }

  function say(button, text) {
    var el = document.getElementById(button.dataset.status);
    if (el) { el.textContent = text; el.hidden = false; }
  }

  function run(button) {
    if (!window.PublicKeyCredential || !navigator.credentials) {
      say(button, "この端末またはブラウザは生体認証(WebAuthn)に対応していません。");
      return;
    }
    var needed = button.dataset.require ? document.getElementById(button.dataset.require) : null;
    if (needed && !needed.reportValidity()) { return; }  // e.g. the 端末名, before the authenticator is asked
    var options = JSON.parse(document.getElementById(button.dataset.options).textContent);
    var asked = button.dataset.webauthn === "create"
      ? navigator.credentials.create({ publicKey: creationOptions(options) })
      : navigator.credentials.get({ publicKey: requestOptions(options) });
    button.disabled = true;
    say(button, "端末の指示に従って、指紋・顔などで本人確認をしてください。");
    asked.then(function (cred) {
      document.getElementById(button.dataset.output).value = JSON.stringify(asJSON(cred));
      if (button.hasAttribute("data-submit")) {
        say(button, "確認しています…");
        button.form.submit();
      } else {
        say(button, "この端末の生体認証の準備ができました。続けて「登録する」を押してください。");
      }
    }).catch(function (err) {
      button.disabled = false;
      say(button, "生体認証が完了しませんでした(" + (err && err.name ? err.name : "エラー") +
        ")。もう一度お試しください。");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button[data-webauthn]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (ev) { run(ev.currentTarget); });
    }
  });
})();
