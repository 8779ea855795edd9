"""Registers of the people, organisations and places the volumes name, each mention cited.

Registers are computed from what the store holds (facts, node texts and
attributes), never stored: they change whenever a volume is ingested, and
computing them for the sample corpus takes a few seconds.  Within a process
they are kept per store until the set of volumes (ids and source hashes)
changes, so a web server computes them once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar

from fangzhi.errors import NotFoundError
from fangzhi.model import Fact
from fangzhi.services.computed import computed
from fangzhi.services.registers.corpus import Corpus, Mention
from fangzhi.services.registers.divisions import division_table
from fangzhi.services.registers.organizations import Organization, OrganizationRegister, build_organizations
from fangzhi.services.registers.people import Person, build_people
from fangzhi.services.registers.places import Place, build_places
from fangzhi.store.base import Store

__all__ = [
    "Mention",
    "Organization",
    "OrganizationRegister",
    "Person",
    "Place",
    "corpus",
    "division_table",
    "organization",
    "organization_register",
    "organizations",
    "people",
    "person",
    "place",
    "places",
]

_FACT_KINDS = ("appointment", "event", "list_item")

T = TypeVar("T")


def _cached(store: Store, name: str, build: Callable[[], T]) -> T:
    return computed(store, f"registers.{name}", build)


def corpus(store: Store) -> Corpus:
    """Every text node of the store, read once for all registers."""
    return _cached(store, "corpus", lambda: Corpus.read(store))


def _facts(store: Store) -> dict[str, list[Fact]]:
    return _cached(store, "facts", lambda: {kind: list(store.facts(kind=kind)) for kind in _FACT_KINDS})


def organization_register(store: Store) -> OrganizationRegister:
    """Organisations with the names and abbreviations that stand for them in each volume."""
    return _cached(
        store, "organizations", lambda: build_organizations(corpus(store), _facts(store).get("appointment", []))
    )


def organizations(store: Store) -> list[Organization]:
    return organization_register(store).organizations


def organization(store: Store, organization_id: str) -> Organization:
    """One organisation by id, name or abbreviation, with the posts people hold in it.

    The posts come from the people register, which is built after the
    organisations; they are added to a copy, so the register kept for the
    store is never changed by a read.
    """
    register = organization_register(store)
    found = register.by_id.get(organization_id) or register.resolve(organization_id)
    if found is None:
        raise NotFoundError(
            f"no organisation {organization_id!r} in the register; see `fangzhi export --kind organizations`"
        )
    posts = [
        {**post.to_dict(), "person": holder.name, "action": post.action}
        for holder in people(store)
        for post in holder.posts
        if post.organization and found.name in post.organization.split("，")
    ]
    return dataclasses.replace(found, posts=posts)


def people(store: Store) -> list[Person]:
    return _cached(store, "people", lambda: build_people(corpus(store), _facts(store), organization_register(store)))


def person(store: Store, person_id: str) -> Person:
    for candidate in people(store):
        if candidate.id == person_id or person_id in candidate.variants:
            return candidate
    raise NotFoundError(f"no person {person_id!r} in the register; see `fangzhi export --kind people`")


def places(store: Store) -> list[Place]:
    return _cached(store, "places", lambda: build_places(corpus(store)))


def place(store: Store, place_id: str) -> Place:
    for candidate in places(store):
        if place_id in (candidate.id, candidate.name) or place_id in candidate.variants:
            return candidate
    raise NotFoundError(f"no place {place_id!r} in the register; see `fangzhi export --kind places`")
