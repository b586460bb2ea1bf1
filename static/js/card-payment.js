// The card payment page: Stripe.js turns the card into a payment method, our server charges the order's own amount,
// 3-D Secure is finished here when the bank asks, and the page waits for Stripe's webhook to make the order paid.
(function () {
  "use strict";
  var form = document.getElementById("card-payment");
  if (!form) return;
  var message = document.getElementById("card-message");
  var button = form.querySelector("button[type=submit]");
  var say = function (key, extra) {
    message.textContent = form.dataset[key] + (extra ? " " + extra : "");
  };
  if (typeof window.Stripe !== "function") {
    say("msgUnavailable");
    button.disabled = true;
    return;
  }
  var stripe = window.Stripe(form.dataset.key);
  var card = stripe.elements().create("card");
  card.mount("#card-element");

  // Stripe.js makes a PaymentMethod; a Stripe.js without createPaymentMethod (localstripe's) makes a token, whose
  // card (card_...) PaymentIntents take as well.
  function paymentMethod() {
    return Promise.resolve(stripe.createPaymentMethod({type: "card", card: card})).then(function (result) {
      if (result && result.paymentMethod) return result.paymentMethod.id;
      if (result && result.error) throw result.error;
      return stripe.createToken(card).then(function (token) {
        if (token.error) throw token.error;
        return token.token.card.id;
      });
    });
  }

  function charge(id) {
    return fetch(form.dataset.payUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": form.dataset.csrf, "Accept": "application/json"},
      body: JSON.stringify({payment_method: id})
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw {server: body};
        return body;
      });
    });
  }

  function waitForPaid(tries) {
    return fetch(form.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.status !== "pending_payment") {
          if (state.status === "paid") say("msgPaid");
          else say("msgFailed", state.status_name);
          window.setTimeout(function () { window.location.assign(state.order_url); }, 1500);
          return;
        }
        if (tries <= 0) { say("msgSlow"); return; }
        return new Promise(function (resolve) { window.setTimeout(resolve, 1000); })
          .then(function () { return waitForPaid(tries - 1); });
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    say("msgWorking");
    paymentMethod()
      .then(charge)
      .then(function (attempt) {
        if (attempt.status === "requires_action" && attempt.client_secret) {
          return stripe.confirmCardPayment(attempt.client_secret).then(function (result) {
            if (result.error) throw result.error;
            return attempt;
          });
        }
        return attempt;
      })
      .then(function () {
        say("msgWaiting");
        return waitForPaid(30);
      })
      .catch(function (error) {
        button.disabled = false;
        if (error && error.server) say("msgFailed", error.server.message || "");
        else if (error instanceof TypeError) say("msgOffline");
        else say("msgCard", (error && error.message) || "");
      });
  });
})();
