"""What roles may do with questions from the public, in bundles the roles table joins."""

# See questions, assign them, answer them.
ANSWER = ["questions.view_question", "questions.change_question"]
# Publish questions with their answers; keep the topics.
PUBLISH = [
    "questions.publish_question",
    "questions.delete_question",
    "questions.add_topic",
    "questions.change_topic",
    "questions.delete_topic",
    "questions.view_topic",
]
