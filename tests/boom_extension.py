"""A test-only extension: commands that fail in the ways the error handler must cover."""

import discord
from discord import app_commands
from discord.ext import commands

from cogs.core.errors import UserError
from cogs.core.interactions import SafeView, guarded, reply


class ExplodingView(SafeView):
    @discord.ui.button(label="Explode", custom_id="test:explode")
    async def explode(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        raise KeyError("a bug in a button")


class Boom(commands.Cog):
    @app_commands.command(name="boom", description="Fails unexpectedly")
    @app_commands.guild_only()
    async def boom(self, interaction: discord.Interaction) -> None:
        raise RuntimeError("a bug")

    @app_commands.command(name="oops", description="Fails with a user's mistake after deferring")
    @app_commands.guild_only()
    async def oops(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        raise UserError("That date is in the past; choose a future date.")

    @app_commands.command(name="echo", description="Repeats user text in the channel")
    @app_commands.describe(text="What to say")
    @app_commands.guild_only()
    async def echo(self, interaction: discord.Interaction, text: str) -> None:
        await interaction.channel.send(text)
        await reply(interaction, "Said.")

    @app_commands.command(name="explode", description="Shows a button that fails")
    @app_commands.guild_only()
    async def explode(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Press it", view=ExplodingView())

    @app_commands.command(name="guarded", description="A guarded callback that fails")
    @app_commands.guild_only()
    @guarded
    async def guarded_cmd(self, interaction: discord.Interaction) -> None:
        raise UserError("Guarded and answered.")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Boom())
