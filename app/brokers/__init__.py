"""The brokers ("makler") area: who stands alone on the floor and whom to introduce them to.

- `suggestions`: a new (or substantively edited) post's best matches, pushed to the poster's phone
  and to the fair's brokers after the post commits (durably: a pending row per post version).
- `worklist`: the brokers' phone page — needs nobody has answered yet, people with no post, each
  with suggested partners.
- `introductions`: a broker introduces two people (both phones get the other's card) and sees
  which introductions became agreements.
- `cycles`: exchange cycles of 3–4 organisations (A gives to B, B to C, C to A) for group deals.

It sits at the top of the areas (beside reports and the directory): it reads the floor, the
matcher and the agreements, and none of them knows it.
"""
