"""The agent: a LangGraph graph over typed tools, with approvals for every write.

Start with :func:`agent.graph.build_graph` and :class:`agent.runner.AgentRunner`.
"""
