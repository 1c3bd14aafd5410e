#!/usr/bin/env python3
"""Writes resources/demo/corpus.txt: short, simple stories from a small hand-written grammar.

Every word and template below was written for Anatomist; nothing is copied from another text.
The output is deterministic for a seed. Stories are separated by blank lines (one document each).
Usage: scripts/make_demo_corpus.py [--stories N] [--seed S] [--out FILE]
"""
import argparse
import random

HEROES = [
    ("Mila", "she", "her"), ("Tom", "he", "his"), ("Nora", "she", "her"), ("Ben", "he", "his"),
    ("Lina", "she", "her"), ("Sam", "he", "his"), ("Ada", "she", "her"), ("Leo", "he", "his"),
    ("Rosa", "she", "her"), ("Max", "he", "his"), ("Ivy", "she", "her"), ("Otto", "he", "his"),
]
ANIMALS = ["a small fox", "an old turtle", "a brave little mouse", "a sleepy cat", "a tall heron",
           "a friendly dog", "a shy rabbit", "a clever crow", "a round frog", "a quiet owl"]
PLACES = ["the garden", "the forest", "the beach", "the park", "the hill behind the house",
          "the river", "the market", "the old barn", "the school yard", "the meadow"]
OBJECTS = ["a red ball", "a blue kite", "a shiny stone", "a wooden boat", "a yellow hat",
           "a paper star", "a tiny key", "a green bottle", "a striped scarf", "a silver bell"]
WEATHER = ["The sun was warm.", "It was a windy day.", "Soft rain was falling.",
           "The sky was grey and calm.", "It was cold, and the grass was wet.",
           "The morning was bright and clear."]
FEELINGS = ["happy", "sad", "curious", "tired", "excited", "worried", "proud", "surprised"]
FOODS = ["an apple", "some bread", "a warm soup", "three berries", "a piece of cake", "a pear"]
TIMES = ["One morning", "One evening", "Last summer", "On a Sunday", "After school",
         "Early one day", "Once upon a time"]
ENDINGS = [
    "From that day on, {h} and {a2} were good friends.",
    "That night, {h} slept well and dreamed of {place}.",
    "{H_cap} smiled. It had been a good day.",
    "{Pro} learned that it is good to ask for help.",
    "{Pro} went home and told {pos} mother everything.",
    "And {a2} never forgot the kind {kid}.",
]


def story(rng):
    name, pro, pos = rng.choice(HEROES)
    kid = "girl" if pro == "she" else "boy"
    animal = rng.choice(ANIMALS)
    a2 = "the " + animal.split(" ", 1)[1]
    place, obj = rng.choice(PLACES), rng.choice(OBJECTS)
    obj_the = "the " + obj.split(" ", 1)[1]
    feel1, feel2 = rng.sample(FEELINGS, 2)
    food = rng.choice(FOODS)
    Pro = pro.capitalize()
    s = [f"{rng.choice(TIMES)}, {name} went to {place}.", rng.choice(WEATHER)]
    kind = rng.randrange(4)
    if kind == 0:  # a lost object found with help
        s += [f"{name} had {obj}, but {pro} lost it near the trees.",
              f"{Pro} felt {feel1} and looked everywhere.",
              f"Then {pro} met {animal}.",
              f'"Can you help me find {obj_the}?" asked {name}.',
              f'"Yes, I can," said {a2}. "I saw it under a big leaf."',
              f"They looked under the leaf, and there it was.",
              f"{name} was {feel2} and gave {a2} {food}."]
    elif kind == 1:  # helping someone in trouble
        s += [f"There {pro} saw {animal} that could not get home.",
              f'"What is wrong?" asked {name}.',
              f'"The path is too long, and I am {rng.choice(["tired", "worried", "sad"])}," said {a2}.',
              f"{name} carried {a2} back across {place}.",
              f"At home, {a2} shared {food} with {name}.",
              f"{Pro} felt {feel2}."]
    elif kind == 2:  # a game and a small problem
        friend = rng.choice([h for h in HEROES if h[0] != name])[0]
        s += [f"{Pro} played with {friend} and {obj}.",
              f"{friend} threw {obj_the} too high, and it fell into {rng.choice(PLACES)}.",
              f"{name} was {feel1}, but {friend} had an idea.",
              f'"Let us ask {a2} to help," said {friend}.',
              f"{animal.capitalize()} found {obj_the} and brought it back.",
              f"The children laughed, and everyone was {feel2}."]
    else:  # counting and a small lesson
        n = rng.randrange(2, 6)
        words = ["two", "three", "four", "five"][n - 2]
        s += [f"{Pro} counted {words} birds on a branch.",
              f"Then one bird flew away, and {name} counted again.",
              ("Now there was only one bird." if n == 2 else
               f"Now there were {['two', 'three', 'four'][n - 3]} birds."),
              f"{name} met {animal} and asked where the bird had gone.",
              f'"It went home to eat," said {a2}. "Birds get hungry too."',
              f"{name} was {feel1}, so {pro} ate {food} as well."]
    s.append(rng.choice(ENDINGS).format(h=name, a2=a2, place=place, H_cap=name, Pro=Pro, pos=pos,
                                        kid=kid))
    return " ".join(s)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--stories", type=int, default=700)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", default="resources/demo/corpus.txt")
    a = p.parse_args()
    rng = random.Random(a.seed)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n\n".join(story(rng) for _ in range(a.stories)) + "\n")


if __name__ == "__main__":
    main()
