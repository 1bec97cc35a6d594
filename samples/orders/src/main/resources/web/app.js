// The orders page: lists the newest orders and places one, through the same JSON API as any
// client (version 1), with the bearer token typed in or passed as #token=... in the address.
"use strict";

const tokenInput = document.getElementById("token");
const message = document.getElementById("message");
const rows = document.getElementById("orders");

const fromAddress = new URLSearchParams(location.hash.slice(1)).get("token");
if (fromAddress) {
  tokenInput.value = fromAddress;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: {
      "Authorization": "Bearer " + tokenInput.value.trim(),
      "Content-Type": "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(json.error || response.status + " " + response.statusText);
  }
  return json;
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

async function listOrders() {
  const { orders } = await api("GET", "/v1/orders?limit=20");
  rows.replaceChildren(
    ...orders.map((order) => {
      const tr = document.createElement("tr");
      tr.dataset.orderId = order.id;
      tr.append(
        cell(order.id),
        cell(order.customerId),
        cell(order.status),
        cell(order.total + " " + order.currency),
        cell(order.lines),
        cell(new Date(order.placedAt).toLocaleString()));
      return tr;
    }));
  return orders;
}

async function placeOrder(event) {
  event.preventDefault();
  message.textContent = "Placing...";
  try {
    const email = document.getElementById("email").value;
    const customer = await api("GET", "/v1/customers?email=" + encodeURIComponent(email));
    const { id } = await api("POST", "/v1/orders", {
      customerId: customer.id,
      currency: "EUR",
      lines: [{
        sku: document.getElementById("sku").value,
        quantity: Number(document.getElementById("quantity").value),
        unitPrice: document.getElementById("price").value,
      }],
    });
    // The list is the read side: it shows the order once the projection has applied it.
    for (let attempt = 0; attempt < 40; attempt++) {
      const orders = await listOrders();
      if (orders.some((order) => order.id === id)) {
        message.textContent = "Placed order " + id;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250)); // within the rate limit
    }
    message.textContent = "Placed order " + id + "; the list has not caught up yet";
  } catch (error) {
    message.textContent = "Failed: " + error.message;
  }
}

document.getElementById("place-order").addEventListener("submit", placeOrder);
tokenInput.addEventListener("change", () => listOrders().catch((e) => (message.textContent = e.message)));
if (tokenInput.value) {
  listOrders().catch((error) => (message.textContent = "Failed: " + error.message));
}
