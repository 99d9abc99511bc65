#!/usr/bin/env bash
# The main flow of the seed, through the real REST API of a running platform (`make run`):
# a passenger searches, books 2 adults + 1 child + 1 infant on a round trip X -> A, picks
# seats, adds a bag and pays; prints the total and the confirmed booking.
#   bash examples/book-a-trip.sh            (API=http://host:port/api/v1 to point elsewhere)
set -euo pipefail
API=${API:-http://127.0.0.1:8000/api/v1}
key() { python3 -c "import uuid; print(uuid.uuid4())"; }
j() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
PAX=$(curl -s $API/auth/login -H 'content-type: application/json' \
  -d '{"email":"passenger@airline.local","password":"passenger-demo-pass"}' | j 'd["access_token"]')
H=(-H "Authorization: Bearer $PAX" -H 'content-type: application/json')

# 1-4. search: X -> A tomorrow, back the day after, 2 adults + 1 child + 1 infant, normal class
#      (dates are local at XSP, Asia/Singapore: the machine's own date is a day behind from 16:00 UTC)
OFFER=$(curl -s "$API/search?origin=XSP&destination=AOR&date=$(TZ=Asia/Singapore date -d tomorrow +%F)&return_date=$(TZ=Asia/Singapore date -d '2 days' +%F)&trip_type=round_trip&adults=2&children=1&infants=1&cabin_class=normal" | j 'd["offers"][0]["offer_id"]')
BOOKING=$(curl -s $API/bookings "${H[@]}" -H "Idempotency-Key: $(key)" -d "{\"offer_id\":\"$OFFER\"}")
ID=$(echo "$BOOKING" | j 'd["id"]')
OUT=$(echo "$BOOKING" | j 'd["legs"][0]["flight_id"]'); BACK=$(echo "$BOOKING" | j 'd["legs"][1]["flight_id"]')

# 5. passenger details and contact
curl -s -X PUT $API/bookings/$ID/passengers "${H[@]}" -d '{
  "passengers":[
    {"type":"adult","first_name":"Mai","last_name":"Tran","date_of_birth":"1988-04-02","document":{"type":"passport","number":"K1234567","issuing_country":"SG","expiry":"2032-05-31"}},
    {"type":"adult","first_name":"Minh","last_name":"Tran","date_of_birth":"1986-09-15","document":{"type":"passport","number":"K7654321","issuing_country":"SG","expiry":"2031-01-31"}},
    {"type":"child","first_name":"An","last_name":"Tran","date_of_birth":"2018-06-20","document":{"type":"passport","number":"K5550001","issuing_country":"SG","expiry":"2030-06-30"},"meal":"child"},
    {"type":"infant","first_name":"Bao","last_name":"Tran","date_of_birth":"2025-08-01","document":{"type":"passport","number":"K5550002","issuing_country":"SG","expiry":"2030-08-31"},"infant_of":"P1"}],
  "contact":{"email":"mai@example.com","phone":"+6591234567"}}' > /dev/null

# 6. seats on each flight (the infant sits on P1's lap): the first three free normal seats
#    outside exit rows on the seat map, held while the passenger decides
for F in $OUT $BACK; do
  SEATS=$(curl -s $API/flights/$F/seats | j '",".join("{\"passenger_id\":\"P%d\",\"seat\":\"%s\"}" % (i + 1, s["seat"]) for i, s in enumerate([s for s in d["seats"] if s["state"] == "free" and s["cabin_class"] == "normal" and not s["exit_row"] and not s["blocked"]][:3]))')
  curl -s -X PUT $API/bookings/$ID/seats "${H[@]}" -d "{\"flight_id\":\"$F\",\"seats\":[$SEATS]}" > /dev/null
done

# 7. one extra bag for P1 on the way out
curl -s -X PUT $API/bookings/$ID/luggage "${H[@]}" -d "{\"bags\":[{\"flight_id\":\"$OUT\",\"passenger_id\":\"P1\",\"extra_pieces\":1}]}" | j 'd["total"], d["currency"]'

# 8. pay: authorise, seats confirmed, capture -> confirmed with a PNR and e-tickets
curl -s $API/bookings/$ID/pay "${H[@]}" -H "Idempotency-Key: $(key)" \
  -d '{"method":{"type":"card","number":"4242 4242 4242 4242","exp_month":12,"exp_year":2030,"cvc":"123"}}' \
  | j 'd["state"], d["pnr"], len(d["tickets"]), d["payment"].get("status")'
